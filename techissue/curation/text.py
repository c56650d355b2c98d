"""Korean and English text to features: content tokens, entity keys and number keys."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from techissue.curation.aliases import DEFAULT_ALIASES
from techissue.curation.document import Doc
from techissue.curation.numbers import extract_numbers
from techissue.curation.phonetic import sound_key
from techissue.curation.stopwords import EN_STOPWORDS as _EN_STOPWORDS
from techissue.curation.stopwords import KOREAN_STOP_NOUNS as _KOREAN_STOP_NOUNS

if TYPE_CHECKING:
    import numpy as np
    from kiwipiepy import Kiwi
    from numpy.typing import NDArray

# Morphology is the expensive step: measured here at ~150k chars/s batched with two workers
# (~140k one text at a time), ~0.5 GB resident. The title and the lead carry most of what
# identifies an event, so by default only the first KOREAN_HEAD_CHARS characters of a Korean text
# go through kiwipiepy; on the labelled corpus 400, 600, 800 and 1,200 score the same. The rest
# of the body still feeds entities and numbers, which are cheap.
KOREAN_HEAD_CHARS = 600
# Batched tokenize needs at least one worker thread; the machine we size for has two cores.
KIWI_WORKERS = 2

_KOREAN_NOUN_TAGS = frozenset({"NNG", "NNP", "SL", "SH", "XR"})
_HANGUL = re.compile(r"[가-힣]")
_ALL_HANGUL = re.compile(r"[가-힣]+")
_EN_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9'\-]*[A-Za-z0-9]|[A-Za-z]")
_EN_NAME = re.compile(r"\b[A-Z][A-Za-z]{3,}\b")
_LATIN_KEY = re.compile(r"\b([A-Za-z]+[-]?\d+[A-Za-z0-9]*|[A-Z]{2,}[0-9]*)\b")


@dataclass
class Features:
    """What the algorithms need from one text: content tokens, entity keys and number keys."""

    tokens: list[str]
    entities: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)
    # The meaning vector of the title and lead (embedding.py), filled in by the clustering.
    vector: NDArray[np.float32] | None = None

    @property
    def keys(self) -> set[str]:
        """Language-independent keys: entities, figures and Latin product names."""
        return self.entities | self.numbers


_kiwi_lock = threading.Lock()
_kiwi: Kiwi | None = None


def get_kiwi() -> Kiwi:
    """One shared Kiwi: loading it takes about a second and ~0.5 GB, so build it once, lazily."""
    global _kiwi
    with _kiwi_lock:
        if _kiwi is None:
            from kiwipiepy import Kiwi

            _kiwi = Kiwi(num_workers=KIWI_WORKERS)
        return _kiwi


def normalize_text(text: str) -> str:
    """NFC, because Korean typed on macOS arrives decomposed into jamo and would never match."""
    return unicodedata.normalize("NFC", text or "")


def is_korean(text: str, threshold: float = 0.2) -> bool:
    """True when Hangul makes up at least `threshold` of the letters."""
    letters = [char for char in text[:2000] if char.isalpha()]
    if not letters:
        return False
    return sum(1 for char in letters if "가" <= char <= "힣") / len(letters) >= threshold


def _stem(word: str) -> str:
    # Light on purpose: enough that "chips"/"chip" and "launched"/"launch" meet, never more.
    if len(word) > 5 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def english_tokens(text: str) -> list[str]:
    """Lowercased, stemmed English words without stopwords."""
    tokens = []
    for word in _EN_TOKEN.findall(text):
        word = word.lower().strip("'-")
        if len(word) < 2 or word in _EN_STOPWORDS:
            continue
        tokens.append(_stem(word))
    return tokens


def character_bigrams(word: str) -> list[str]:
    """Overlapping two-character pieces: 인공지능반도체 → 인공, 공지, 지능, …"""
    return [word[i : i + 2] for i in range(len(word) - 1)]


def _korean_tokens_from_morphs(morphs: Iterable[Any]) -> tuple[list[str], list[str]]:
    tokens: list[str] = []
    names: list[str] = []
    for token in morphs:
        if token.tag not in _KOREAN_NOUN_TAGS:
            continue
        form = token.form.lower() if token.tag == "SL" else token.form
        if (len(form) < 2 and token.tag != "SL") or form in _KOREAN_STOP_NOUNS:
            continue
        tokens.append(form)
        if token.tag == "NNP" and _ALL_HANGUL.fullmatch(form):
            names.append(form)
        # Long proper nouns are often unknown compounds that another outlet spaces differently;
        # their bigrams let 인공지능반도체 meet 인공지능 반도체.
        if token.tag == "NNP" and len(form) >= 4 and _ALL_HANGUL.fullmatch(form):
            tokens.extend("bi:" + bigram for bigram in character_bigrams(form))
    return tokens, names


def korean_analysis_batch(texts: Sequence[str]) -> list[tuple[list[str], list[str]]]:
    """(tokens, proper nouns) of many Korean texts, in one batched kiwipiepy call."""
    if not texts:
        return []
    kiwi = get_kiwi()
    return [_korean_tokens_from_morphs(morphs) for morphs in kiwi.tokenize(list(texts))]


def korean_tokens_batch(texts: Sequence[str]) -> list[list[str]]:
    """Nouns of many Korean texts; one batched kiwipiepy call, several times faster than a loop."""
    return [tokens for tokens, _ in korean_analysis_batch(texts)]


def korean_tokens(text: str) -> list[str]:
    """Nouns, Latin words and long-noun bigrams of one Korean text."""
    return korean_tokens_batch([text])[0]


def english_names(text: str) -> list[str]:
    """Capitalised words that may be names: candidates for a sound key."""
    return [word for word in _EN_NAME.findall(text) if word.lower() not in _EN_STOPWORDS]


def sound_keys(names: Iterable[str], known: Mapping[str, str], title: str = "") -> set[str]:
    """Sound keys of the salient names the alias table does not know (it handles those exactly).

    Salient: in the title or named at least twice; a name said once in passing ("Analysts",
    "Friday") would only dilute the keys that matter.
    """
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    keys = set()
    for name, count in counts.items():
        if name.lower() in known or (count < 2 and name not in title):
            continue
        key = sound_key(name)
        if key:
            keys.add(key)
    return keys


class AliasMatcher:
    """Finds the surfaces of an alias table in running text and returns their keys.

    A dictionary walk rather than one big regular expression: a 250-way alternation with
    look-arounds cost ~6 ms per article, this costs well under one. At every word start (a letter
    after a non-letter, or a change between Hangul and Latin) it tries the surface lengths of the
    table, longest first. Korean glues particles on the right (삼성전자가), so a surface ending in
    Hangul needs no right edge; one ending in a Latin letter or digit does.
    """

    def __init__(self, aliases: Mapping[str, str]) -> None:
        self.keys_by_surface = {surface.lower(): key for surface, key in aliases.items()}
        # Short all-caps acronyms are matched exactly: "US" is a country, "us" is a pronoun.
        self._exact_case = {surface.lower(): surface for surface in aliases if surface.isupper() and len(surface) <= 5}
        self._lengths = sorted({len(surface) for surface in aliases}, reverse=True)

    def find(self, text: str) -> set[str]:
        """The keys of every alias surface in `text`."""
        return self.find_and_blank(text)[0]

    def find_and_blank(self, text: str) -> tuple[set[str], str]:
        """The keys in `text`, and the text with the matched surfaces blanked out."""
        found: set[str] = set()
        lowered = text.lower()
        pieces: list[str] = []
        position = last = 0
        size = len(text)
        while position < size:
            char = text[position]
            script = _script(char)
            if not script or (position and _script(text[position - 1]) == script):
                position += 1
                continue
            matched = 0
            for length in self._lengths:
                if position + length > size:
                    continue
                candidate = lowered[position : position + length]
                key = self.keys_by_surface.get(candidate)
                if key is None:
                    continue
                exact = self._exact_case.get(candidate)
                if exact is not None and text[position : position + length] != exact:
                    continue
                end_script = _script(text[position + length - 1])
                following = text[position + length : position + length + 2]
                if end_script == "latin" and following[:1] and _script(following[0]) == "latin":
                    continue
                # A short Korean name inside a longer word is another word (인도 in 인도네시아).
                if (
                    end_script == "hangul"
                    and length <= 2
                    and following[:1]
                    and _script(following[0]) == "hangul"
                    and following[0] not in _PARTICLE_STARTS
                ):
                    continue
                found.add(key)
                matched = length
                break
            if matched:
                # Blank what matched so "Samsung Electronics" does not also count as its parts.
                pieces.append(text[last:position])
                pieces.append(" ")
                position += matched
                last = position
            else:
                position += 1
        pieces.append(text[last:])
        return found, "".join(pieces)


# First syllables of the particles and suffixes that follow a name: 은 는 이 가 을 를 의 에 와 과 도
# 로 으로 에서 만 까지 측 등 쪽 보다.
_PARTICLE_STARTS = frozenset("은는이가을를의에와과도로으만까측등쪽보서")


def _script(char: str) -> str:
    if "가" <= char <= "힣":
        return "hangul"
    if char.isascii() and char.isalnum():
        return "latin"
    return ""


@lru_cache(maxsize=8)
def _matcher_for(items: frozenset[tuple[str, str]]) -> AliasMatcher:
    return AliasMatcher(dict(items))


def alias_matcher(aliases: Mapping[str, str] | None = None) -> AliasMatcher:
    """A cached matcher for an alias table (the default one when `aliases` is None)."""
    return _matcher_for(frozenset((aliases if aliases is not None else DEFAULT_ALIASES).items()))


def normalize_entities(tokens: Iterable[str], aliases: Mapping[str, str] | None = None) -> set[str]:
    """Canonical keys of the tokens (and of adjacent token pairs) that the alias table knows."""
    table = {surface.lower(): key for surface, key in (aliases if aliases is not None else DEFAULT_ALIASES).items()}
    tokens = [token.lower() for token in tokens]
    keys = set()
    for index, token in enumerate(tokens):
        if token in table:
            keys.add(table[token])
        if index + 1 < len(tokens):
            for joined in (f"{token} {tokens[index + 1]}", token + tokens[index + 1]):
                if joined in table:
                    keys.add(table[joined])
    return keys


def latin_keys(text: str) -> set[str]:
    """Product and model names that both languages write in Latin letters: HBM4, GPT-5, H200."""
    return {"lat:" + match.lower().replace("-", "") for match in _LATIN_KEY.findall(text)}


def featurize(
    docs: Sequence[Doc] | Sequence[tuple[str, str]],
    aliases: Mapping[str, str] | None = None,
    korean_head_chars: int = KOREAN_HEAD_CHARS,
) -> list[Features]:
    """Features of Docs (title + body) or of (lang, text) pairs.

    Korean morphology runs on the first `korean_head_chars` characters only; entities and numbers
    come from the whole text.
    """
    matcher = alias_matcher(aliases)
    pairs = [(doc.lang, doc.full_text) if isinstance(doc, Doc) else doc for doc in docs]
    texts = [normalize_text(text) for _, text in pairs]
    korean_index = [i for i, (lang, _) in enumerate(pairs) if lang == "ko"]
    korean = korean_analysis_batch([texts[i][:korean_head_chars] for i in korean_index])
    analysis_by_index = dict(zip(korean_index, korean, strict=True))
    features = []
    for index, text in enumerate(texts):
        entities, rest = matcher.find_and_blank(text)
        entities |= latin_keys(rest)
        analysis = analysis_by_index.get(index)
        if analysis is None:
            tokens = english_tokens(text)
            names = english_names(rest[:korean_head_chars])
        else:
            tokens, names = analysis
        # Transliterated names (퀼마인드 / Quillmind) that no alias table can list in advance.
        entities |= sound_keys(names, matcher.keys_by_surface, text[: text.find("\n") + 1])
        features.append(Features(tokens=tokens, entities=entities, numbers=extract_numbers(text)))
    return features


def document_keys(doc: Doc, aliases: Mapping[str, str] | None = None) -> set[str]:
    """Entity and figure keys of one doc, without morphology (cheap enough for ranking)."""
    text = normalize_text(doc.full_text)
    entities, rest = alias_matcher(aliases).find_and_blank(text)
    return entities | latin_keys(rest) | extract_numbers(text)
