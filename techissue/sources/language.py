"""Offline language detection by script, plus English function words for Latin text."""

from __future__ import annotations

import re
import unicodedata

# Common English words that carry grammar rather than topic: a Latin-script text containing a
# fair share of them is English, not German, French or Vietnamese.
ENGLISH_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "they",
        "we",
        "you",
        "i",
        "not",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "which",
        "who",
        "what",
        "when",
        "where",
        "how",
        "than",
        "then",
        "there",
        "their",
        "our",
        "your",
        "his",
        "her",
        "into",
        "about",
        "over",
        "after",
    ]
)
# A Hangul syllable packs a whole syllable into one letter, where Latin spends two to four, so
# Korean articles full of English product names still have a Hangul share well below a half.
KOREAN_SHARE = 0.3
CJK_SHARE = 0.3
LATIN_SHARE = 0.7
ENGLISH_WORD_SHARE = 0.08

_WORD = re.compile(r"[A-Za-z']+")


def _script_of(char: str) -> str:
    code = ord(char)
    if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "hangul"
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9F:
        return "kana"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
        return "han"
    if code < 0x250:
        return "latin"
    return "other"


def detect_language(text: str) -> str:
    """Return "ko", "ja", "zh", "en" or "und" for `text` (NFC-normalised first).

    Rules, in order: Hangul ≥ 30 % of the letters → "ko"; kana present and kana+Han ≥ 30 % →
    "ja"; Han ≥ 30 % → "zh"; Latin ≥ 70 % with English function words making ≥ 8 % of the
    words → "en"; anything else → "und".
    """
    text = unicodedata.normalize("NFC", text or "")
    counts = {"hangul": 0, "kana": 0, "han": 0, "latin": 0, "other": 0}
    for char in text:
        if char.isalpha():
            counts[_script_of(char)] += 1
    letters = sum(counts.values())
    if not letters:
        return "und"
    if counts["hangul"] / letters >= KOREAN_SHARE:
        return "ko"
    if counts["kana"] and (counts["kana"] + counts["han"]) / letters >= CJK_SHARE:
        return "ja"
    if counts["han"] / letters >= CJK_SHARE:
        return "zh"
    if counts["latin"] / letters >= LATIN_SHARE:
        words = [word.lower().strip("'") for word in _WORD.findall(text)]
        function_words = sum(1 for word in words if word in ENGLISH_FUNCTION_WORDS)
        if words and function_words and function_words / len(words) >= ENGLISH_WORD_SHARE:
            return "en"
    return "und"
