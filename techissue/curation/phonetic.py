"""Loose sound keys that let a Korean transliteration meet the Latin name: 퀼마인드 ↔ Quillmind."""

from __future__ import annotations

import re

# Revised Romanization of the jamo, simplified: only the consonant skeleton survives anyway.
_INITIALS = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
_MEDIALS = [
    "a",
    "ae",
    "ya",
    "yae",
    "eo",
    "e",
    "yeo",
    "ye",
    "o",
    "wa",
    "wae",
    "oe",
    "yo",
    "u",
    "wo",
    "we",
    "wi",
    "yu",
    "eu",
    "ui",
    "i",
]
_FINALS = [
    "",
    "k",
    "k",
    "k",
    "n",
    "n",
    "n",
    "t",
    "l",
    "l",
    "l",
    "l",
    "l",
    "l",
    "l",
    "l",
    "m",
    "p",
    "p",
    "t",
    "t",
    "ng",
    "t",
    "t",
    "k",
    "t",
    "p",
    "t",
]

# Sounds that Korean cannot tell apart or that transliteration swaps: one class each.
_CLASSES = str.maketrans(
    {
        "c": "k",
        "q": "k",
        "g": "k",
        "x": "k",
        "v": "b",
        "p": "b",
        "f": "b",
        "t": "d",
        "r": "l",
        "z": "j",
        "s": "s",
    }
)
_NON_LETTER = re.compile(r"[^a-z]")
_VOWELS = re.compile(r"[aeiouyw]+")
MIN_SKELETON = 3


def romanize(hangul: str) -> str:
    """Hangul syllables to Latin letters (other characters are kept)."""
    letters = []
    for char in hangul:
        code = ord(char) - 0xAC00
        if 0 <= code < 11172:
            letters.append(_INITIALS[code // 588] + _MEDIALS[(code % 588) // 28] + _FINALS[code % 28])
        else:
            letters.append(char)
    return "".join(letters)


def skeleton(latin: str) -> str:
    """The consonant skeleton of a name: Quillmind → klmnd, Meridian → mldn.

    1. Drop 'h' and the 'r' that English writes but does not sound before a consonant
       (Norvale → 노바레); double letters collapse.
    2. Map look-alike sounds to one class (c/q/g/k, v/p/f/b, t/d, r/l).
    3. Drop vowels, then a final 'ng' becomes 'n' (Korean endings add it freely).
    """
    word = _NON_LETTER.sub("", latin.lower())
    word = word.replace("ph", "f").replace("th", "t").replace("ck", "k")
    word = re.sub(r"r(?=[^aeiouy]|$)", "", word)
    word = word.replace("h", "")
    word = word.translate(_CLASSES)
    word = _VOWELS.sub("", word)
    word = word.replace("nk", "n")
    collapsed = re.sub(r"(.)\1+", r"\1", word)
    return collapsed


def sound_key(word: str) -> str | None:
    """`ph:<skeleton>` for a Hangul or Latin name, or None when too short to mean anything."""
    latin = romanize(word) if re.search(r"[가-힣]", word) else word
    core = skeleton(latin)
    if len(core) < MIN_SKELETON:
        return None
    return "ph:" + core
