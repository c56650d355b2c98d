"""Group docs into stories (one real-world event each), across outlets and Korean/English.

How a pair of docs scores, with m = max(0, cos(meaning vectors) - floor) / (1 - floor):
    same language:  w_token · cos(TF-IDF of tokens) + w_key · cos(IDF of entity and figure keys) + w_same · m
    cross language: cos(keys) + w_cross · m, since the token spaces of the two languages share nothing
The meaning vector (embedding.py) is what carries a Korean article to its English twin when the
names in them are in no alias table. A pair is an edge when its score reaches the threshold of its kind, within the time window.
Edges are merged strongest first with an average-link guard: two groups merge only when the mean
strength (score / threshold) over all their member pairs, with absent pairs counting 0, is at
least `link`. That stops chains (A~B, B~C, A≁C) from gluing different events together: a Samsung
memory launch and a Samsung phone share "samsung" but neither figures nor event words.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from techissue.curation.copies import CopyIndex
from techissue.curation.document import Doc
from techissue.curation.embedding import DIMENSIONS, embed_docs
from techissue.curation.text import Features, featurize
from techissue.curation.vectors import Pairs, candidate_pairs, key_matrix, token_matrix

__all__ = ["Assignment", "ClusterParams", "Doc", "StorySnapshot", "assign", "cluster"]


@dataclass
class ClusterParams:
    """The knobs of story clustering; the defaults are tuned on the labelled corpus."""

    window_hours: float = 72.0
    token_weight: float = 0.6
    key_weight: float = 0.4
    same_threshold: float = 0.26
    cross_threshold: float = 0.35
    link: float = 0.6
    # Words and keys in more than this share of the docs (of a window of 50 or more) are dropped.
    token_max_df: float = 0.3
    key_max_df: float = 1.0
    # A strength above this adds no more evidence: one identical pair must not carry a group.
    max_strength: float = 2.0
    copy_threshold: float = 0.5
    korean_head_chars: int = 600
    # The meaning term: cosines below the floor say nothing (unrelated texts score 0 to 0.3).
    meaning_floor: float = 0.4
    meaning_same_weight: float = 0.3
    meaning_cross_weight: float = 1.0
    # Pairs whose meaning cosine reaches this are candidates even with no shared word or key.
    meaning_candidate: float = 0.45
    # Words and keys count in full only when the meanings agree: below `gate_low` they count
    # nothing, rising to full at `gate_high`. Two stories about one company share its name but
    # not their meaning (a funding round and a recall).
    gate_low: float = 0.1
    gate_high: float = 0.45


@dataclass
class StorySnapshot:
    """An existing story as the editor left it; its members never move out."""

    story_id: Hashable
    doc_ids: list[int]
    locked: bool = False


@dataclass
class Assignment:
    """Where new docs went: `story_of` maps every new doc to an existing story id or a new label."""

    story_of: dict[int, Hashable] = field(default_factory=dict)
    new_stories: dict[str, list[int]] = field(default_factory=dict)
    joined: dict[Hashable, list[int]] = field(default_factory=dict)
    duplicate_of: dict[int, int] = field(default_factory=dict)


class _Groups:
    """Union of doc rows into groups, tracking summed edge strength between neighbouring groups."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))
        self.members: dict[int, list[int]] = {i: [i] for i in range(size)}
        self.links: dict[int, dict[int, float]] = {i: {} for i in range(size)}
        self.fixed: set[int] = set()  # groups that hold an existing story

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, first: int, second: int) -> int:
        if len(self.members[first]) < len(self.members[second]):
            first, second = second, first
        self.parent[second] = first
        self.members[first].extend(self.members.pop(second))
        if second in self.fixed:
            self.fixed.discard(second)
            self.fixed.add(first)
        second_links = self.links.pop(second)
        first_links = self.links[first]
        first_links.pop(second, None)
        for neighbour, strength in second_links.items():
            if neighbour == first:
                continue
            first_links[neighbour] = first_links.get(neighbour, 0.0) + strength
            neighbour_links = self.links[neighbour]
            neighbour_links[first] = neighbour_links.get(first, 0.0) + neighbour_links.pop(second)
        return first

    def link(self, first: int, second: int) -> float:
        total = self.links[first].get(second, 0.0)
        return total / (len(self.members[first]) * len(self.members[second]))


def _strengths(pairs: Pairs, langs: np.ndarray, params: ClusterParams) -> np.ndarray:
    same = langs[pairs.first] == langs[pairs.second]
    meaning = np.maximum(pairs.meaning_sim - params.meaning_floor, 0.0) / (1.0 - params.meaning_floor)
    span = max(params.gate_high - params.gate_low, 1e-6)
    gate = np.clip((pairs.meaning_sim - params.gate_low) / span, 0.0, 1.0)
    gate = np.where(pairs.meaning_sim == 0.0, 1.0, gate)  # exactly 0: a doc without a vector
    words = np.where(same, params.token_weight * pairs.token_sim + params.key_weight * pairs.key_sim, pairs.key_sim)
    score = gate * words + np.where(same, params.meaning_same_weight, params.meaning_cross_weight) * meaning
    threshold = np.where(same, params.same_threshold, params.cross_threshold)
    return np.minimum(score / threshold, params.max_strength)


def _group_rows(
    features: Sequence[Features],
    docs: Sequence[Doc],
    params: ClusterParams,
    seeds: Sequence[list[int]] = (),
    new_rows: np.ndarray | None = None,
) -> list[list[int]]:
    """Rows grouped into stories; each seed (an existing story) stays whole and apart from others."""
    langs = np.array([doc.lang for doc in docs])
    times = np.array([doc.published.timestamp() for doc in docs], dtype=np.float64)
    pairs = candidate_pairs(
        token_matrix(features, list(langs), max_df=params.token_max_df),
        key_matrix(features, max_df=params.key_max_df),
        times,
        params.window_hours * 3600,
        only_rows=new_rows,
        meanings=meaning_matrix(features),
        min_meaning=params.meaning_candidate,
    )
    strength = _strengths(pairs, langs, params)
    groups = _Groups(len(docs))
    for seed in seeds:
        root = seed[0]
        groups.fixed.add(root)
        for row in seed[1:]:
            root = groups.union(groups.find(root), groups.find(row))
    for first, second, value in zip(pairs.first, pairs.second, strength, strict=True):
        root_first, root_second = groups.find(int(first)), groups.find(int(second))
        if root_first == root_second:
            continue
        groups.links[root_first][root_second] = groups.links[root_first].get(root_second, 0.0) + value
        groups.links[root_second][root_first] = groups.links[root_second].get(root_first, 0.0) + value
    # Strongest edge first; a stale heap entry is re-scored when it comes up.
    heap = [
        (-float(value), int(first), int(second))
        for first, second, value in zip(pairs.first, pairs.second, strength, strict=True)
        if value >= 1.0
    ]
    heapq.heapify(heap)
    while heap:
        _, first, second = heapq.heappop(heap)
        root_first, root_second = groups.find(first), groups.find(second)
        if root_first == root_second:
            continue
        if root_first in groups.fixed and root_second in groups.fixed:
            continue
        if groups.link(root_first, root_second) >= params.link:
            groups.union(root_first, root_second)
    return list(groups.members.values())


def _copies(docs: Sequence[Doc], params: ClusterParams, index: CopyIndex | None) -> dict[int, int]:
    if index is None:
        index = CopyIndex(threshold=params.copy_threshold)
    return index.add(docs)


def cluster(
    docs: Sequence[Doc],
    params: ClusterParams | None = None,
    aliases: Mapping[str, str] | None = None,
    copies: Mapping[int, int] | None = None,
) -> dict[int, int]:
    """{doc id: story label} for all docs, from scratch; the label is the story's lowest doc id.

    Copies (found here unless given) are left out of the clustering and join their original.
    """
    assignment = assign(docs, [], [], params=params, aliases=aliases, copies=copies)
    labels: dict[int, int] = {}
    for members in assignment.new_stories.values():
        label = min(members)
        for member in members:
            labels[member] = label
    return labels


def meaning_matrix(features: Sequence[Features]) -> np.ndarray:
    """The docs' meaning vectors as one dense matrix (a zero row where a doc has none)."""
    matrix = np.zeros((len(features), DIMENSIONS), dtype=np.float32)
    for row, feature in enumerate(features):
        if feature.vector is not None:
            matrix[row] = feature.vector
    return matrix


def _with_vectors(docs: Sequence[Doc], features: Sequence[Features]) -> None:
    """Embed, in one batch, the docs whose features have no meaning vector yet."""
    missing = [row for row, feature in enumerate(features) if feature.vector is None]
    if not missing:
        return
    vectors = embed_docs([docs[row] for row in missing])
    for row, vector in zip(missing, vectors, strict=True):
        features[row].vector = vector


def _features(
    docs: Sequence[Doc],
    aliases: Mapping[str, str] | None,
    params: ClusterParams,
    cache: MutableMapping[int, Features] | None,
) -> list[Features]:
    """Features of the docs (meaning vectors included), analysing only those the cache does not hold yet."""
    if cache is None:
        features = featurize(docs, aliases=aliases, korean_head_chars=params.korean_head_chars)
        _with_vectors(docs, features)
        return features
    missing = [doc for doc in docs if doc.id not in cache]
    fresh = featurize(missing, aliases=aliases, korean_head_chars=params.korean_head_chars)
    for doc, analysed in zip(missing, fresh, strict=True):
        cache[doc.id] = analysed
    result = [cache[doc.id] for doc in docs]
    _with_vectors(docs, result)
    return result


def assign(
    new_docs: Sequence[Doc],
    existing: Sequence[StorySnapshot],
    existing_docs: Sequence[Doc],
    params: ClusterParams | None = None,
    aliases: Mapping[str, str] | None = None,
    copies: Mapping[int, int] | None = None,
    copy_index: CopyIndex | None = None,
    feature_cache: MutableMapping[int, Features] | None = None,
) -> Assignment:
    """Put new docs into existing stories or new ones; existing members never move.

    `existing_docs` are the docs of the existing stories that fall in the time window of the new
    docs (older ones cannot be joined anyway). Existing stories, locked or not, never merge with
    each other; they gain new docs only. Copies of new docs (given, or found with `copy_index`
    built from the existing docs) join their original's story. `feature_cache` keeps each doc's
    features across calls, so the context of one chunk is not analysed again for the next.
    """
    params = params or ClusterParams()
    if copies is None:
        if copy_index is None:
            copy_index = CopyIndex(threshold=params.copy_threshold)
            copy_index.add(existing_docs)
        copies = _copies(new_docs, params, copy_index)
    copies = {copy: original for copy, original in copies.items() if copy != original}
    assignment = Assignment(duplicate_of=dict(copies))
    existing_ids = {doc.id for doc in existing_docs}
    originals = [doc for doc in new_docs if doc.id not in copies and doc.id not in existing_ids]
    story_of_existing: dict[int, Hashable] = {}
    for snapshot in existing:
        for doc_id in snapshot.doc_ids:
            story_of_existing[doc_id] = snapshot.story_id
    context = [doc for doc in existing_docs if doc.id not in copies]
    docs = context + originals
    row_of = {doc.id: row for row, doc in enumerate(docs)}
    seeds = [[row_of[doc_id] for doc_id in snapshot.doc_ids if doc_id in row_of] for snapshot in existing]
    seeds = [seed for seed in seeds if seed]
    features = _features(docs, aliases, params, feature_cache)
    new_rows = np.arange(len(context), len(docs)) if context else None
    groups = _group_rows(features, docs, params, seeds, new_rows) if docs else []
    next_label = 0
    for rows in groups:
        member_ids = [docs[row].id for row in rows]
        fresh = [doc_id for doc_id in member_ids if doc_id not in story_of_existing]
        if not fresh:
            continue
        story_ids = {story_of_existing[d] for d in member_ids if d in story_of_existing}
        if story_ids:
            story_id = story_ids.pop()
            assignment.joined.setdefault(story_id, []).extend(fresh)
        else:
            story_id = f"new-{next_label}"
            next_label += 1
            assignment.new_stories[story_id] = list(fresh)
        for doc_id in fresh:
            assignment.story_of[doc_id] = story_id
    for copy, original in copies.items():
        story_id = assignment.story_of.get(original, story_of_existing.get(original))
        if story_id is None:
            # The original is outside this run (older than the window): the copy stands alone.
            story_id = f"new-{next_label}"
            next_label += 1
            assignment.new_stories[story_id] = []
        assignment.story_of[copy] = story_id
        if story_id in assignment.new_stories:
            assignment.new_stories[story_id].append(copy)
        else:
            assignment.joined.setdefault(story_id, []).append(copy)
    return assignment
