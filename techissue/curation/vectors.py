"""Sparse vectors of docs and the candidate pairs between them, blocked by time, never all pairs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from techissue.curation.text import Features


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _prune_rows(matrix: sparse.csr_matrix, keep: int) -> sparse.csr_matrix:
    """Keep the `keep` heaviest entries of each row: the tail adds cost, not evidence."""
    matrix = matrix.tocsr()
    indptr, data = matrix.indptr, matrix.data
    mask = np.ones(len(data), dtype=bool)
    for row in np.flatnonzero(np.diff(indptr) > keep):
        start, end = indptr[row], indptr[row + 1]
        order = np.argsort(data[start:end])
        mask[start + order[: end - start - keep]] = False
    matrix.data = np.where(mask, data, 0.0)
    matrix.eliminate_zeros()
    return matrix


def token_matrix(
    features: Sequence[Features], langs: Sequence[str], keep: int = 60, max_df: float = 0.3
) -> sparse.csr_matrix:
    """TF-IDF of content tokens, fitted per language, as one block-diagonal L2-normalised matrix.

    Per language because an IDF fitted on both would call every Korean word rare in English
    documents and the reverse; the blocks share no columns, so cross-language rows score 0 here.
    """
    blocks = []
    rows = []
    for lang in sorted(set(langs)):
        index = [i for i, doc_lang in enumerate(langs) if doc_lang == lang]
        documents = [features[i].tokens for i in index]
        # max_df drops words that half the beat uses; with tiny corpora it must not drop all.
        vectorizer = TfidfVectorizer(
            analyzer=_identity,
            sublinear_tf=True,
            max_df=max_df if len(index) >= 50 else 1.0,
            dtype=np.float32,
        )
        try:
            block = vectorizer.fit_transform(documents)
        except ValueError:  # every document empty
            block = sparse.csr_matrix((len(index), 1), dtype=np.float32)
        blocks.append(block)
        rows.extend(index)
    matrix = sparse.block_diag(blocks, format="csr", dtype=np.float32)
    # Put the rows back in document order.
    order = np.empty(len(rows), dtype=np.int64)
    order[np.array(rows, dtype=np.int64)] = np.arange(len(rows))
    matrix = matrix[order]
    return normalize(_prune_rows(matrix, keep))


def key_matrix(features: Sequence[Features], max_df: float = 0.2) -> sparse.csr_matrix:
    """IDF-weighted binary vectors of the language-independent keys (entities and figures)."""
    documents = [sorted(feature.keys) for feature in features]
    vectorizer = TfidfVectorizer(
        analyzer=_identity,
        binary=True,
        max_df=max_df if len(documents) >= 50 else 1.0,
        dtype=np.float32,
    )
    try:
        return vectorizer.fit_transform(documents).tocsr()
    except ValueError:
        return sparse.csr_matrix((len(documents), 1), dtype=np.float32)


@dataclass
class Pairs:
    """Candidate pairs (first < second, as row indexes) with their token and key similarities."""

    first: np.ndarray
    second: np.ndarray
    token_sim: np.ndarray
    key_sim: np.ndarray
    meaning_sim: np.ndarray


def _top_per_row(rows: np.ndarray, score: np.ndarray, limit: int) -> np.ndarray:
    """Mask of the `limit` highest scores within each row."""
    order = np.lexsort((-score, rows))
    sorted_rows = rows[order]
    first_of_row = np.searchsorted(sorted_rows, sorted_rows, side="left")
    rank = np.arange(len(order)) - first_of_row
    mask = np.zeros(len(order), dtype=bool)
    mask[order[rank < limit]] = True
    return mask


def candidate_pairs(
    tokens: sparse.csr_matrix,
    keys: sparse.csr_matrix,
    timestamps: np.ndarray,
    window_seconds: float,
    min_sim: float = 0.05,
    block_rows: int = 250,
    only_rows: np.ndarray | None = None,
    neighbours: int = 30,
    meanings: np.ndarray | None = None,
    min_meaning: float = 0.45,
) -> Pairs:
    """Pairs of docs within the time window whose token or key similarity reaches `min_sim`,
    or whose meaning vectors (dense rows, L2-normalised) reach `min_meaning`.

    1. Sort the docs by time, so a block of rows meets only a contiguous slice of the others.
    2. Multiply each block by the slice within the window on both sides (sparse products for
       tokens and keys, one dense product for meanings; no all-pairs). The three products are
       laid out as dense block × slice arrays and filtered with array masks, so no Python runs
       per pair. A block holds up to block_rows × (docs in the window) similarities: 250 rows
       keep that to some 100 MB when a window holds 30,000 docs.
    3. Keep, for each doc, its `neighbours` best pairs above the floors; a pair survives if
       either end keeps it. This bounds memory and time when a window is full of similar docs.
    4. When `only_rows` is given, keep only pairs touching those rows (incremental runs).
    """
    size = len(timestamps)
    order = np.argsort(timestamps, kind="stable")
    sorted_times = timestamps[order]
    tokens, keys = tokens[order], keys[order]
    dense = meanings[order] if meanings is not None else None
    wanted = None
    if only_rows is not None:
        wanted = np.zeros(size, dtype=bool)
        position = np.empty(size, dtype=np.int64)
        position[order] = np.arange(size)
        wanted[position[only_rows]] = True
    pair_codes, token_sims, key_sims, meaning_sims = [], [], [], []
    for start in range(0, size, block_rows):
        end = min(start + block_rows, size)
        if wanted is not None and not wanted[start:end].any():
            # Rows of old docs still matter as neighbours of new ones, seen from the new side.
            continue
        lo = int(np.searchsorted(sorted_times, sorted_times[start] - window_seconds, side="left"))
        hi = int(np.searchsorted(sorted_times, sorted_times[end - 1] + window_seconds, side="right"))
        token_product = (tokens[start:end] @ tokens[lo:hi].T).toarray()
        key_product = (keys[start:end] @ keys[lo:hi].T).toarray()
        keep = (token_product >= min_sim) | (key_product >= min_sim)
        if dense is not None:
            meaning_product = dense[start:end] @ dense[lo:hi].T
            keep |= meaning_product >= min_meaning
        else:
            meaning_product = np.zeros_like(token_product)
        block_times = sorted_times[start:end, None]
        keep &= np.abs(sorted_times[None, lo:hi] - block_times) <= window_seconds
        local_rows, local_cols = np.nonzero(keep)
        rows, cols = local_rows + start, local_cols + lo
        not_self = rows != cols
        if wanted is not None:
            not_self &= wanted[rows] | wanted[cols]
        rows, cols = rows[not_self], cols[not_self]
        local_rows, local_cols = local_rows[not_self], local_cols[not_self]
        if not len(rows):
            continue
        token_values = token_product[local_rows, local_cols]
        key_values = key_product[local_rows, local_cols]
        meaning_values = meaning_product[local_rows, local_cols]
        best = _top_per_row(rows, token_values + key_values + np.maximum(meaning_values, 0.0), neighbours)
        rows, cols = rows[best], cols[best]
        first, second = order[rows], order[cols]
        low, high = np.minimum(first, second), np.maximum(first, second)
        pair_codes.append(low.astype(np.int64) * size + high)
        token_sims.append(token_values[best])
        key_sims.append(key_values[best])
        meaning_sims.append(meaning_values[best])
    if not pair_codes:
        empty = np.array([], dtype=np.int64)
        none = empty.astype(np.float32)
        return Pairs(empty, empty, none, none, none)
    codes, first_index = np.unique(np.concatenate(pair_codes), return_index=True)
    return Pairs(
        codes // size,
        codes % size,
        np.concatenate(token_sims)[first_index],
        np.concatenate(key_sims)[first_index],
        np.concatenate(meaning_sims)[first_index],
    )
