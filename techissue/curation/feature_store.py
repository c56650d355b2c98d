"""The feature store: features, meaning vectors and copy signatures kept per article, so later runs read them instead of analysing again."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence

import numpy as np

from techissue.curation import embedding
from techissue.curation.copies import CopyIndex
from techissue.curation.models import ArticleFeatures
from techissue.curation.stories import ClusterParams
from techissue.curation.text import Features


def features_version(aliases: dict[str, str], params: ClusterParams) -> str:
    """A fingerprint of everything stored features depend on."""
    from techissue.curation.copies import KOREAN_SHINGLES, MINHASH_SCHEME, NUM_PERM

    recipe = json.dumps(
        [
            sorted(aliases.items()),
            params.korean_head_chars,
            NUM_PERM,
            MINHASH_SCHEME,
            KOREAN_SHINGLES,
            embedding.MODEL_NAME,
            embedding.EMBED_CHARS,
        ]
    )
    return hashlib.sha256(recipe.encode()).hexdigest()[:16]


def load_stored_features(
    doc_ids: Sequence[int], version: str, cache: dict[int, Features], copy_index: CopyIndex, stored: set[int]
) -> None:
    """Fill the cache and the copy index's signatures from earlier runs, for docs this run has not seen."""
    wanted = [doc_id for doc_id in doc_ids if doc_id not in cache]
    for start in range(0, len(wanted), 5000):
        rows = ArticleFeatures.objects.filter(article_id__in=wanted[start : start + 5000], version=version)
        for row in rows.iterator(chunk_size=1000):
            cache[row.article_id] = Features(
                tokens=row.tokens,
                entities=set(row.entities),
                numbers=set(row.numbers),
                vector=embedding.from_bytes(row.embedding),
            )
            signature = bytes(row.signature) if row.signature is not None else None
            copy_index.signatures[row.article_id] = (
                np.frombuffer(signature, dtype=np.uint64).copy() if signature else None
            )
            stored.add(row.article_id)


def store_features(
    doc_ids: Iterable[int], version: str, cache: dict[int, Features], copy_index: CopyIndex, stored: set[int]
) -> None:
    """Keep what this run computed for the docs, so the next run reads it instead of analysing again."""
    rows = []
    for doc_id in doc_ids:
        if doc_id in stored or doc_id not in cache:
            continue
        features = cache[doc_id]
        signature = copy_index.signature_of(doc_id)
        rows.append(
            ArticleFeatures(
                article_id=doc_id,
                version=version,
                tokens=features.tokens,
                entities=sorted(features.entities),
                numbers=sorted(features.numbers),
                signature=signature.tobytes() if signature is not None else None,
                embedding=embedding.to_bytes(features.vector) if features.vector is not None else None,
            )
        )
        stored.add(doc_id)
    ids = [row.article_id for row in rows]
    for start in range(0, len(ids), 5000):
        ArticleFeatures.objects.filter(article_id__in=ids[start : start + 5000]).delete()  # another version
    ArticleFeatures.objects.bulk_create(rows, batch_size=1000)
