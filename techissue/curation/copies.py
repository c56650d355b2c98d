"""Exact and near copies: same GUID, canonical URL or text, or MinHash LSH over shingles."""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from techissue.curation.document import Doc
from techissue.curation.text import get_kiwi, normalize_text

NUM_PERM = 64
# Named, not left to datasketch's default: stored signatures must be compared with the same scheme.
MINHASH_SCHEME = "affine32"
DEFAULT_THRESHOLD = 0.5
MIN_BODY_CHARS = 80
# Korean shingles: "chars" (character 4-grams of the spaced text) or "morphs" (kiwipiepy
# morpheme 3-grams). Both score the same on the labelled corpus (see the report in
# tests/test_copies_corpus.py), so the default is the one that costs no morphology.
KOREAN_SHINGLES = "chars"

_WORD = re.compile(r"\w+", re.UNICODE)
_SPACE = re.compile(r"\s+")


def _crc32(data: bytes) -> int:
    # crc32 instead of datasketch's default sha1: ~10x faster and still stable across processes.
    return zlib.crc32(data)


def text_fingerprint(text: str) -> str:
    """Hash of the text with case, punctuation and spacing removed: equal for exact copies."""
    words = _WORD.findall(normalize_text(text).lower())
    return hashlib.blake2b(" ".join(words).encode(), digest_size=16).hexdigest()


def word_shingles(text: str, size: int = 3) -> set[str]:
    """Overlapping runs of `size` lowercased words."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def char_shingles(text: str, size: int = 4) -> set[str]:
    """Overlapping runs of `size` characters of the text with spacing collapsed."""
    text = _SPACE.sub(" ", text.lower()).strip()
    if len(text) <= size:
        return {text} if text else set()
    return {text[i : i + size] for i in range(len(text) - size + 1)}


def morph_shingles_batch(texts: Sequence[str], size: int = 3) -> list[set[str]]:
    """Runs of `size` kiwipiepy morphemes, for many texts in one batched call."""
    shingles = []
    for morphs in get_kiwi().tokenize(list(texts)):
        forms = [token.form for token in morphs if not token.tag.startswith("S") or token.tag in {"SL", "SN"}]
        shingles.append({" ".join(forms[i : i + size]) for i in range(max(1, len(forms) - size + 1))})
    return shingles


def shingles_of(docs: Sequence[Doc], korean: str = KOREAN_SHINGLES) -> list[set[str]]:
    """The shingles of each doc's body (headlines are left out: copies get new headlines)."""
    result: list[set[str] | None] = [None] * len(docs)
    korean_docs = [i for i, doc in enumerate(docs) if doc.lang == "ko"]
    if korean == "morphs" and korean_docs:
        texts = [normalize_text(docs[i].text) for i in korean_docs]
        for i, shingles in zip(korean_docs, morph_shingles_batch(texts), strict=True):
            result[i] = shingles
    for i, doc in enumerate(docs):
        if result[i] is None:
            text = normalize_text(doc.text)
            result[i] = char_shingles(text) if doc.lang == "ko" else word_shingles(text)
    return [shingles or set() for shingles in result]


def minhash_of(shingles: Iterable[str]) -> MinHash:
    """A MinHash of a shingle set, with the fast stable hash."""
    minhash = MinHash(num_perm=NUM_PERM, hashfunc=_crc32, scheme=MINHASH_SCHEME)
    minhash.update_batch([shingle.encode() for shingle in shingles])
    return minhash


@dataclass
class _Entry:
    id: int
    published_key: tuple[float, int]
    minhash: MinHash | None  # None once forgotten: only exact keys find it then
    original: int


class CopyIndex:
    """Docs seen so far, queryable for copies of new docs; build it from existing docs first.

    Docs should be added oldest first: a doc that copies an indexed doc points at that doc's
    original. A doc already in the index never changes its original later, even if an older
    copy turns up afterwards (the editor's lists stay stable from run to run).
    """

    def __init__(self, threshold: float = DEFAULT_THRESHOLD, korean: str = KOREAN_SHINGLES) -> None:
        self.threshold = threshold
        self.korean = korean
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._entries: dict[int, _Entry] = {}
        self._exact: dict[str, int] = {}
        # MinHash values stored by an earlier run, by doc id (None: the doc had no text to shingle).
        self.signatures: dict[int, np.ndarray | None] = {}

    def signature_of(self, doc_id: int) -> np.ndarray | None:
        """The MinHash values of an indexed doc (to store), or None when it had no text or was forgotten."""
        entry = self._entries.get(doc_id)
        if entry is None or entry.minhash is None or entry.id not in self._lsh:
            return None
        return np.asarray(entry.minhash.hashvalues, dtype=np.uint64)

    def __len__(self) -> int:
        return len(self._entries)

    def _exact_keys(self, doc: Doc) -> list[str]:
        keys = []
        # A near-empty body (a summary-only feed) says nothing: every such doc would share the hash.
        if len(doc.text.strip()) >= MIN_BODY_CHARS:
            keys.append("text:" + text_fingerprint(doc.text))
        if doc.guid:
            keys.append("guid:" + doc.guid)
        if doc.canonical_url:
            keys.append("url:" + doc.canonical_url)
        return keys

    def add(self, docs: Sequence[Doc]) -> dict[int, int]:
        """Index docs (oldest first) and return the copies among them: {copy id: original id}."""
        ordered = sorted(
            (doc for doc in docs if doc.id not in self._entries), key=lambda doc: (doc.published.timestamp(), doc.id)
        )
        copies: dict[int, int] = {}
        known = self.signatures
        needed = [doc for doc in ordered if doc.id not in known]
        fresh = dict(zip((doc.id for doc in needed), shingles_of(needed, self.korean), strict=True))
        for doc in ordered:
            if doc.id in known:
                # A signature stored by an earlier run: no shingling, and an empty one means no text.
                values = known.pop(doc.id)
                minhash = (
                    MinHash(num_perm=NUM_PERM, hashfunc=_crc32, hashvalues=values, scheme=MINHASH_SCHEME)
                    if values is not None
                    else None
                )
                shingles = {""} if minhash is not None else set()
            else:
                shingles = fresh[doc.id]
                minhash = minhash_of(shingles)
            if minhash is None:
                minhash = minhash_of(set())
            original = self._match(doc, minhash, bool(shingles))
            if original is not None:
                copies[doc.id] = original
            entry = _Entry(
                doc.id,
                (doc.published.timestamp(), doc.id),
                minhash,
                original if original is not None else doc.id,
            )
            self._entries[doc.id] = entry
            if shingles:
                self._lsh.insert(doc.id, minhash)
            for key in self._exact_keys(doc):
                self._exact.setdefault(key, doc.id)
        return copies

    def forget_near_copies_before(self, moment: float) -> int:
        """Drop the MinHashes of docs published before `moment` (a timestamp); returns how many.

        A near copy republishes within days; keeping every MinHash of a long run costs about
        3 KB a doc in the LSH bands. Forgotten docs are still found by their exact keys (GUID,
        canonical URL, text hash), and keep their place as originals.
        """
        dropped = 0
        for entry in self._entries.values():
            if entry.minhash is not None and entry.published_key[0] < moment:
                if entry.id in self._lsh:
                    self._lsh.remove(entry.id)
                entry.minhash = None
                dropped += 1
        return dropped

    def query(self, docs: Sequence[Doc]) -> dict[int, int]:
        """Copies among new docs without indexing them: {copy id: original id}."""
        copies: dict[int, int] = {}
        for doc, shingles in zip(docs, shingles_of(docs, self.korean), strict=True):
            original = self._match(doc, minhash_of(shingles), bool(shingles))
            if original is not None and original != doc.id:
                copies[doc.id] = original
        return copies

    def _match(self, doc: Doc, minhash: MinHash, has_shingles: bool) -> int | None:
        for key in self._exact_keys(doc):
            if key in self._exact:
                return self._entries[self._exact[key]].original
        if not has_shingles:
            return None
        candidates = [self._entries[candidate] for candidate in self._lsh.query(minhash) if candidate != doc.id]
        # LSH gives candidates; the MinHash estimate confirms them against the threshold.
        confirmed = [
            entry
            for entry in candidates
            if entry.minhash is not None and np.mean(entry.minhash.hashvalues == minhash.hashvalues) >= self.threshold
        ]
        if not confirmed:
            return None
        earliest = min(confirmed, key=lambda entry: self._entries[entry.original].published_key)
        return earliest.original


def find_copies(
    docs: Sequence[Doc], threshold: float = DEFAULT_THRESHOLD, korean: str = KOREAN_SHINGLES
) -> dict[int, int]:
    """{copy id: original id} for every copy; the original is the earliest published (then lowest id)."""
    return CopyIndex(threshold=threshold, korean=korean).add(docs)
