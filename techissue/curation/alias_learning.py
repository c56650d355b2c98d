"""Aliases learned, not typed: name pairs (코어위브 ↔ CoreWeave) that a cross-language story reveals.

A story that formed across Korean and English with several independent outlets, or one the editor
merged, holds the same names written in both scripts. A Hangul word and a Latin name whose sound
keys (phonetic.py) agree, and that the alias table does not know yet, are proposed to the editor,
who accepts them with one click; accepted pairs become Alias rows and the next run uses them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from techissue.curation.document import Doc
from techissue.curation.phonetic import romanize, sound_key
from techissue.curation.stopwords import EN_STOPWORDS
from techissue.curation.text import normalize_text

_HANGUL_RUN = re.compile(r"[가-힣]{2,}")
_LATIN_NAME = re.compile(r"\b[A-Z][A-Za-z]{2,}\b")
# The first characters of a story's text that are read for names: title and lead.
NAME_CHARS = 600
# A story is confident enough to learn from with this many independent outlets in both languages.
MIN_OUTLETS = 3
# How alike the romanised Hangul and the Latin spelling must look (difflib ratio), on top of the
# sound keys agreeing: 벨모라/belmora ↔ Velmora 0.86, 상당/sangdang ↔ Washington 0.44.
MIN_LIKENESS = 0.5


@dataclass(frozen=True)
class NamePair:
    """A Hangul surface and a Latin surface that sound alike and occur in one story."""

    hangul: str
    latin: str
    key: str
    likeness: float  # how alike the romanised Hangul and the Latin spelling look, 0..1


def latin_names(text: str) -> list[str]:
    """Capitalised words that may be names (not sentence-initial stopwords)."""
    # All capitals is a dateline (SEOUL, WASHINGTON) or an acronym, not a name to transliterate.
    return [word for word in _LATIN_NAME.findall(text) if word.lower() not in EN_STOPWORDS and not word.isupper()]


def hangul_candidates(text: str) -> set[str]:
    """Hangul words and their prefixes of two syllables or more: 벨모라는 → 벨모라는, 벨모라, 벨모."""
    found: set[str] = set()
    for run in _HANGUL_RUN.findall(text):
        for end in range(len(run), 1, -1):
            found.add(run[:end])
    return found


def _keyed(surfaces: Iterable[str]) -> dict[str, str]:
    keys: dict[str, str] = {}
    for surface in surfaces:
        key = sound_key(surface)
        if key:
            keys[surface] = key
    return keys


def name_pairs(docs: Sequence[Doc], known: Mapping[str, str]) -> list[NamePair]:
    """The Hangul ↔ Latin name pairs of one story that sound alike and the alias table lacks.

    For each Latin name of the English docs, the longest Hangul word (or word start: particles
    follow names) of the Korean docs with the same sound key. A name must be salient: in a title
    or in at least two docs.
    """
    known_lower = {surface.lower() for surface in known}
    latin_docs: dict[str, int] = defaultdict(int)
    hangul_docs: dict[str, int] = defaultdict(int)
    in_title: set[str] = set()
    for doc in docs:
        text = normalize_text(f"{doc.title}\n{doc.text}")[:NAME_CHARS]
        if doc.lang == "ko":
            words = hangul_candidates(text)
            for word in words:
                hangul_docs[word] += 1
            in_title |= hangul_candidates(normalize_text(doc.title))
        else:
            names = set(latin_names(text))
            for name in names:
                latin_docs[name] += 1
            in_title |= set(latin_names(doc.title))
    latin_keys = _keyed(name for name in latin_docs if name.lower() not in known_lower)
    hangul_keys = _keyed(word for word in hangul_docs if word not in known_lower)
    by_key: dict[str, list[str]] = defaultdict(list)
    for word, key in hangul_keys.items():
        by_key[key].append(word)
    pairs = []
    for name, key in sorted(latin_keys.items()):
        spellings = by_key.get(key)
        if not spellings:
            continue
        # The word named in most docs; of those, the shortest (벨모라, not 벨모라는 with its particle).
        word = min(spellings, key=lambda w: (-hangul_docs[w], len(w)))
        salient = (name in in_title or latin_docs[name] >= 2) and (word in in_title or hangul_docs[word] >= 2)
        likeness = SequenceMatcher(None, romanize(word), name.lower()).ratio()
        if salient and likeness >= MIN_LIKENESS:
            pairs.append(NamePair(word, name, name.lower(), round(likeness, 3)))
    return pairs


def confident(docs: Sequence[Doc], duplicate_of: Mapping[int, int]) -> bool:
    """A story to learn from: both languages among its independent docs, and MIN_OUTLETS outlets."""
    independent = [doc for doc in docs if doc.id not in duplicate_of]
    return len({doc.lang for doc in independent}) > 1 and len({doc.outlet for doc in independent}) >= MIN_OUTLETS
