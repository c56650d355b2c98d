"""The curate stage's actions: copies, incremental stories, scores and summaries, stored; and the editor's desk."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from techissue.curation.copies import CopyIndex
from techissue.curation.document import Doc
from techissue.curation.models import Alias, ArticleFeatures, Story, StoryMember
from techissue.curation.ranking import (
    HALF_LIFE_HOURS,
    WEIGHTS,
    ScoreParts,
    TasteModel,
    score_story,
    story_features,
    story_keys,
)
from techissue.curation.stories import ClusterParams, StorySnapshot, assign
from techissue.curation.summaries import Summary, summarize
from techissue.curation.text import Features
from techissue.sources.models import Article, Feed

log = logging.getLogger(__name__)

MIN_CHUNK = 2000
MAX_CHUNK = 20000
# Summaries (Korean sentence splitting is the expensive part) are written for the stories an
# editor will look at: the best ranked ones, and any story touched by the run within them.
SUMMARISED = 300


@dataclass
class CurateReport:
    new_articles: int = 0
    copies: int = 0
    new_stories: int = 0
    joined: int = 0
    rescored: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


def article_doc(article: Article, weights: dict[int, float]) -> Doc:
    return Doc(
        id=article.id,
        outlet=article.outlet,
        lang=article.lang or "en",
        title=article.title,
        text=article.text or article.summary,
        published=article.published_at or article.fetched_at,
        url=article.url,
        canonical_url=article.canonical_url,
        guid=article.guid,
        weight=weights.get(article.feed_id, 1.0),
    )


def _docs(articles: Iterable[Article]) -> list[Doc]:
    weights = dict(Feed.objects.values_list("id", "weight"))
    return [article_doc(article, weights) for article in articles]


_DOC_FIELDS = [
    "id",
    "feed_id",
    "outlet",
    "lang",
    "title",
    "text",
    "summary",
    "published_at",
    "fetched_at",
    "url",
    "canonical_url",
    "guid",
]


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
    articles = Article.objects.filter(when, story_member__isnull=False).only(*_DOC_FIELDS)
    return _docs(articles)


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


def features_version(aliases: dict[str, str], params: ClusterParams) -> str:
    """A fingerprint of everything stored features depend on."""
    from techissue.curation.copies import KOREAN_SHINGLES, MINHASH_SCHEME, NUM_PERM

    recipe = json.dumps([sorted(aliases.items()), params.korean_head_chars, NUM_PERM, MINHASH_SCHEME, KOREAN_SHINGLES])
    return hashlib.sha256(recipe.encode()).hexdigest()[:16]


def load_stored_features(
    doc_ids: Sequence[int], version: str, cache: dict[int, Features], copy_index: CopyIndex, stored: set[int]
) -> None:
    """Fill the cache and the copy index's signatures from earlier runs, for docs this run has not seen."""
    wanted = [doc_id for doc_id in doc_ids if doc_id not in cache]
    for start in range(0, len(wanted), 5000):
        rows = ArticleFeatures.objects.filter(article_id__in=wanted[start : start + 5000], version=version)
        for row in rows.iterator(chunk_size=1000):
            cache[row.article_id] = Features(tokens=row.tokens, entities=set(row.entities), numbers=set(row.numbers))
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
            )
        )
        stored.add(doc_id)
    ids = [row.article_id for row in rows]
    for start in range(0, len(ids), 5000):
        ArticleFeatures.objects.filter(article_id__in=ids[start : start + 5000]).delete()  # another version
    ArticleFeatures.objects.bulk_create(rows, batch_size=1000)


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
        chunk = _docs(Article.objects.filter(id__in=chunk_ids).only(*_DOC_FIELDS).order_by("published_at", "id"))
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


def fit_taste_model(now: datetime) -> TasteModel:
    decided = Story.objects.filter(decision__in=[Story.Decision.PICKED, Story.Decision.SKIPPED]).order_by(
        "-decided_at"
    )[:500]
    examples, labels = [], []
    for story in decided:
        docs = story_docs(story)
        if docs:
            examples.append(story_features(docs, duplicate_map(story)))
            labels.append(story.decision == Story.Decision.PICKED)
    return TasteModel().fit(examples, labels)


def story_articles(story: Story) -> list[Article]:
    return list(Article.objects.filter(story_member__story=story).order_by("published_at", "id"))


def story_docs(story: Story) -> list[Doc]:
    return _docs(story_articles(story))


def duplicate_map(story: Story) -> dict[int, int]:
    rows = Article.objects.filter(story_member__story=story, duplicate_of__isnull=False)
    return dict(rows.values_list("id", "duplicate_of_id"))


def sent_story_keys(now: datetime) -> list[set[str]]:
    sent = Story.objects.filter(sent_at__isnull=False, sent_at__gte=now - timedelta(days=60))[:200]
    return [story_keys(story_docs(story)) for story in sent]


def _articles_by_story(story_ids: Sequence[int]) -> dict[int, list[Article]]:
    """Member articles of many stories in one query, oldest first."""
    grouped: dict[int, list[Article]] = defaultdict(list)
    rows = Article.objects.filter(story_member__story_id__in=story_ids).annotate(story_id=F("story_member__story_id"))
    for article in rows.only(*_DOC_FIELDS, "duplicate_of_id").order_by("published_at", "id"):
        grouped[article.story_id].append(article)  # type: ignore[attr-defined]
    return grouped


def _lead_article(articles: Sequence[Article], copies: dict[int, int]) -> Article:
    """A cheap stand-in for the most representative article: the first independent one, Korean first."""
    independent = [a for a in articles if a.id not in copies] or list(articles)
    korean = [a for a in independent if a.lang == "ko"]
    return (korean or independent)[0]


def _refresh(
    story: Story, articles: list[Article], docs: list[Doc], parts: ScoreParts, summary: Summary | None
) -> None:
    """Set a story's derived fields from its members; the caller saves."""
    copies = {a.id: a.duplicate_of_id for a in articles if a.duplicate_of_id}
    independent = [a for a in articles if a.id not in copies] or articles
    if summary is not None:
        lead = next((a for a in articles if a.title == summary.title), articles[0])
        story.summary, story.summary_lang = summary.text, summary.lang
    else:
        lead = _lead_article(articles, copies)
        story.summary, story.summary_lang = "", ""
    if not story.title_edited:
        story.title = lead.title[:1000]
    story.representative = lead
    story.languages = ",".join(sorted({a.lang for a in articles if a.lang}))
    story.outlet_count = len({a.outlet for a in independent})
    story.article_count = len(articles)
    dates = [a.published_at or a.fetched_at for a in articles]
    story.first_article_at = min(dates)
    story.last_article_at = max(dates)
    story.score = round(parts.total, 6)
    story.score_parts = parts.as_dict()


REFRESHED_FIELDS = [
    "title", "summary", "summary_lang", "representative", "languages", "outlet_count", "article_count",
    "first_article_at", "last_article_at", "score", "score_parts", "updated_at",
]  # fmt: skip


def refresh_stories(
    story_ids: Sequence[int], now: datetime, taste: TasteModel, sent_keys: list[set[str]], summarise: bool
) -> int:
    """Recompute the stories' scores, titles and counts (and summaries when `summarise`), in batches."""
    weights = dict(Feed.objects.values_list("id", "weight"))
    done = 0
    for start in range(0, len(story_ids), 1000):
        batch = list(story_ids[start : start + 1000])
        grouped = _articles_by_story(batch)
        changed = []
        for story in Story.objects.filter(id__in=batch):
            articles = grouped.get(story.id)
            if not articles:
                if not story.locked and not story.decision and story.merged_into_id is None:
                    story.delete()
                continue
            docs = [article_doc(a, weights) for a in articles]
            copies = {a.id: a.duplicate_of_id for a in articles if a.duplicate_of_id}
            parts = score_story(docs, now, sent_story_keys=sent_keys, taste_model=taste, duplicate_of=copies)
            summary = summarize(docs, sentences=3, duplicate_of=copies) if summarise else None
            _refresh(story, articles, docs, parts, summary)
            story.updated_at = timezone.now()
            changed.append(story)
        Story.objects.bulk_update(changed, REFRESHED_FIELDS)
        done += len(changed)
    return done


def refresh_story(story: Story, now: datetime, taste: TasteModel, sent_keys: list[set[str]]) -> None:
    """Recompute one story, summary included (after the editor merged or split it)."""
    refresh_stories([story.id], now, taste, sent_keys, summarise=True)
    story.refresh_from_db()


def refresh_recency(now: datetime, exclude: set[int]) -> int:
    """Age every other live story's recency part and total: time passes for stories nobody touched."""
    changed = []
    live = Story.objects.filter(merged_into__isnull=True, last_article_at__isnull=False)
    for story in live.only("id", "score", "score_parts", "last_article_at").iterator(chunk_size=2000):
        if story.id in exclude:
            continue
        parts = dict(story.score_parts or {})
        if not parts:
            continue
        age_hours = max(0.0, (now - story.last_article_at).total_seconds() / 3600)  # type: ignore[operator]
        parts["recency"] = round(0.5 ** (age_hours / HALF_LIFE_HOURS), 4)
        parts["total"] = round(sum(WEIGHTS[name] * float(parts.get(name, 0.0)) for name in WEIGHTS), 4)
        if parts != story.score_parts:
            story.score_parts, story.score = parts, parts["total"]
            changed.append(story)
    Story.objects.bulk_update(changed, ["score_parts", "score"], batch_size=1000)
    return len(changed)


def rescore(story_ids: Iterable[int], now: datetime, timings: dict[str, float] | None = None) -> int:
    """Score the touched stories, age the others, then summarise the best ranked that lack a summary.

    1. Touched stories: score parts, title, counts (no summary yet: it would be wasted on most).
    2. Every other live story: its recency part ages with the clock.
    3. The best SUMMARISED stories without a summary get one (Korean sentence splitting is costly).
    """
    timings = timings if timings is not None else {}
    taste = fit_taste_model(now)
    sent = sent_story_keys(now)
    touched = sorted(set(story_ids))
    tick = time.monotonic()
    count = refresh_stories(touched, now, taste, sent, summarise=False)
    timings["score"] = time.monotonic() - tick
    tick = time.monotonic()
    refresh_recency(now, exclude=set(touched))
    timings["age"] = time.monotonic() - tick
    tick = time.monotonic()
    best = list(Story.objects.ranked().values_list("id", "summary")[:SUMMARISED])
    refresh_stories([story_id for story_id, summary in best if not summary], now, taste, sent, summarise=True)
    timings["summarise"] = time.monotonic() - tick
    return count


def curate(
    rebuild: bool = False, now: datetime | None = None, progress: Callable[[int], None] | None = None
) -> CurateReport:
    """Deduplicate, cluster, rank and summarise: incremental, or from scratch with `rebuild`.

    A rebuild keeps what the editor decided: locked stories (merged, split or edited) stay with
    their members; everything else is clustered again.
    """
    started = time.monotonic()
    now = now or timezone.now()
    report = CurateReport()
    if rebuild:
        kept = Q(locked=True) | ~Q(decision="") | Q(sent_at__isnull=False) | Q(merged_into__isnull=False)
        with transaction.atomic():
            kept_ids = list(Story.objects.filter(kept).values_list("id", flat=True))
            StoryMember.objects.exclude(story_id__in=kept_ids).exclude(pinned=True).delete()
            Story.objects.exclude(id__in=kept_ids).filter(members__isnull=True).delete()
            Article.objects.exclude(story_member__story_id__in=kept_ids).update(duplicate_of=None)
    tick = time.monotonic()
    touched = cluster_new_articles(report, progress=progress)
    report.timings["cluster"] = time.monotonic() - tick
    report.rescored = rescore(touched, now, report.timings)
    report.seconds = time.monotonic() - started
    return report
