"""Chunked clustering: every article not yet in a story goes into one, oldest first, a window-sized chunk at a time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q

from techissue.curation.articles import DOC_FIELDS, docs_of
from techissue.curation.copies import CopyIndex
from techissue.curation.document import Doc
from techissue.curation.feature_store import features_version, load_stored_features, store_features
from techissue.curation.models import Alias, Story, StoryMember
from techissue.curation.stories import ClusterParams, StorySnapshot, assign
from techissue.curation.text import Features
from techissue.sources.models import Article

MIN_CHUNK = 2000
MAX_CHUNK = 20000


@dataclass
class CurateReport:
    new_articles: int = 0
    copies: int = 0
    new_stories: int = 0
    joined: int = 0
    rescored: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


def alias_table() -> dict[str, str]:
    """The default aliases of the beat, with the editor's own (from the admin) on top."""
    from techissue.curation.aliases import DEFAULT_ALIASES

    table = dict(DEFAULT_ALIASES)
    table.update(dict(Alias.objects.values_list("surface", "key")))
    return table


def _story_snapshots(doc_ids: Sequence[int]) -> list[StorySnapshot]:
    by_story: dict[int, list[int]] = defaultdict(list)
    # In slices: SQLite allows at most 32,766 parameters in one query.
    for start in range(0, len(doc_ids), 10_000):
        rows = StoryMember.objects.filter(article_id__in=doc_ids[start : start + 10_000])
        for story_id, article_id in rows.values_list("story_id", "article_id"):
            by_story[story_id].append(article_id)
    locked = set(Story.objects.filter(locked=True).values_list("id", flat=True)) & set(by_story)
    return [StorySnapshot(story_id, ids, story_id in locked) for story_id, ids in by_story.items()]


def _window_docs(start: datetime, end: datetime, window: timedelta) -> list[Doc]:
    """Docs of articles already in stories, published within the window around [start, end]."""
    when = Q(published_at__gte=start - window, published_at__lte=end + window) | Q(
        published_at__isnull=True, fetched_at__gte=start - window, fetched_at__lte=end + window
    )
    articles = Article.objects.filter(when, story_member__isnull=False).only(*DOC_FIELDS)
    return docs_of(articles)


def _apply(
    chunk: Sequence[Doc],
    existing_docs: Sequence[Doc],
    report: CurateReport,
    params: ClusterParams,
    aliases: dict[str, str],
    copy_index: CopyIndex,
    feature_cache: dict[int, Features],
) -> set[int]:
    """Assign one chunk of new docs and store the result; returns the ids of the stories touched."""
    snapshots = _story_snapshots([doc.id for doc in existing_docs])
    copy_index.add(existing_docs)  # only docs it has not seen yet are shingled
    result = assign(
        chunk,
        snapshots,
        existing_docs,
        params=params,
        aliases=aliases,
        copy_index=copy_index,
        feature_cache=feature_cache,
    )
    touched: set[int] = set()
    with transaction.atomic():
        for copy_id, original_id in result.duplicate_of.items():
            Article.objects.filter(id=copy_id).update(duplicate_of_id=original_id)
        report.copies += len(result.duplicate_of)
        members: list[StoryMember] = []
        for doc_ids in result.new_stories.values():
            if not doc_ids:
                continue
            story = Story.objects.create(title="")
            touched.add(story.id)
            members += [StoryMember(story=story, article_id=doc_id) for doc_id in doc_ids]
            report.new_stories += 1
        for story_id, doc_ids in result.joined.items():
            existing_id = int(str(story_id))  # the ids of existing stories are ours: Story primary keys
            touched.add(existing_id)
            members += [StoryMember(story_id=existing_id, article_id=doc_id) for doc_id in doc_ids]
            report.joined += len(doc_ids)
        StoryMember.objects.bulk_create(members, batch_size=1000, ignore_conflicts=True)
    return touched


def chunk_size(pending: int, span: timedelta, window: timedelta) -> int:
    """Articles per chunk: at least MIN_CHUNK, and about as many as one window holds.

    Each chunk is clustered against the window of stories before it, so a chunk much smaller
    than the window would analyse the same context again and again: on a dense corpus the cost
    would grow faster than the corpus. Chunks as large as the window keep it close to linear.
    """
    if pending <= MIN_CHUNK or span <= timedelta(0):
        return max(pending, 1)
    per_window = pending * (window / span)
    return int(min(MAX_CHUNK, max(MIN_CHUNK, per_window)))


def cluster_new_articles(
    report: CurateReport, params: ClusterParams | None = None, progress: Callable[[int], None] | None = None
) -> set[int]:
    """Every article not yet in a story goes into one, oldest first, in chunks (memory stays bounded)."""
    params = params or ClusterParams()
    aliases = alias_table()
    window = timedelta(hours=params.window_hours)
    pending = Article.objects.filter(story_member__isnull=True).order_by("published_at", "id")
    rows = list(pending.values_list("id", "published_at", "fetched_at"))
    report.new_articles = len(rows)
    if not rows:
        return set()
    dates = [published or fetched for _, published, fetched in rows]
    size = chunk_size(len(rows), max(dates) - min(dates), window)
    ids = [row[0] for row in rows]
    copy_index = CopyIndex(threshold=params.copy_threshold)
    feature_cache: dict[int, Features] = {}
    version = features_version(aliases, params)
    stored: set[int] = set()
    touched: set[int] = set()
    for start in range(0, len(ids), size):
        chunk_ids = ids[start : start + size]
        chunk = docs_of(Article.objects.filter(id__in=chunk_ids).only(*DOC_FIELDS).order_by("published_at", "id"))
        first = min(doc.published for doc in chunk)
        last = max(doc.published for doc in chunk)
        existing = _window_docs(first, last, window)
        load_stored_features([doc.id for doc in [*existing, *chunk]], version, feature_cache, copy_index, stored)
        touched |= _apply(chunk, existing, report, params, aliases, copy_index, feature_cache)
        store_features([doc.id for doc in [*existing, *chunk]], version, feature_cache, copy_index, stored)
        # Docs that fell out of the window will not be context again: let their features go, and
        # keep near-copy fingerprints for two windows (exact copies are found at any age).
        # The next chunk starts at or after `last`, so its context begins at `last - window`.
        keep = {doc.id for doc in [*existing, *chunk] if doc.published >= last - window}
        for doc_id in [doc_id for doc_id in feature_cache if doc_id not in keep]:
            del feature_cache[doc_id]
        copy_index.forget_near_copies_before((last - 2 * window).timestamp())
        if progress is not None:
            progress(len(chunk))
    return touched
