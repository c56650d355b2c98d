"""Story refresh and ageing: scores, titles, counts and summaries from the members; recency for the rest."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.utils import timezone

from techissue.curation.alias_learning import confident
from techissue.curation.alias_proposals import propose_from_stories
from techissue.curation.articles import article_doc, articles_by_story
from techissue.curation.clustering import alias_table
from techissue.curation.document import Doc
from techissue.curation.models import Story
from techissue.curation.ranking import ScoreParts, TasteModel, recency, score_story, weighted_total
from techissue.curation.summaries import Summary, summarize, summary_languages
from techissue.curation.taste import fit_taste_model, sent_story_keys
from techissue.sources.models import Article, Feed

log = logging.getLogger(__name__)

# Summaries (Korean sentence splitting is the expensive part) are written for the stories an
# editor will look at: the best ranked ones, and any story touched by the run within them.
SUMMARISED = 300


def _lead_article(articles: Sequence[Article], copies: dict[int, int]) -> Article:
    """A cheap stand-in for the most representative article: the first independent one, Korean first."""
    independent = [a for a in articles if a.id not in copies] or list(articles)
    korean = [a for a in independent if a.lang == "ko"]
    return (korean or independent)[0]


def _refresh(
    story: Story, articles: list[Article], docs: list[Doc], parts: ScoreParts, summaries: dict[str, Summary] | None
) -> None:
    """Set a story's derived fields from its members; the caller saves.

    `summary` is Korean when the story has a Korean article, else English; `summary_en` is the
    English one whenever it has an English article, so the English edition has one too.
    """
    copies = {a.id: a.duplicate_of_id for a in articles if a.duplicate_of_id}
    independent = [a for a in articles if a.id not in copies] or articles
    summary = None
    if summaries:
        summary = summaries.get("ko") or summaries.get("en") or next(iter(summaries.values()))
    if summary is not None:
        lead = next((a for a in articles if a.title == summary.title), articles[0])
        story.summary, story.summary_lang = summary.text, summary.lang
        english = summaries.get("en") if summaries else None
        story.summary_en = english.text if english else ""
    else:
        lead = _lead_article(articles, copies)
        story.summary, story.summary_lang, story.summary_en = "", "", ""
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
    "title", "summary", "summary_lang", "summary_en", "representative", "languages", "outlet_count", "article_count",
    "first_article_at", "last_article_at", "score", "score_parts", "updated_at",
]  # fmt: skip


def refresh_stories(
    story_ids: Sequence[int],
    now: datetime,
    taste: TasteModel,
    sent_keys: list[set[str]],
    summarise: bool,
    learn_aliases: bool = False,
) -> int:
    """Recompute the stories' scores, titles and counts (and summaries when `summarise`), in batches.

    With `learn_aliases`, the name pairs of confident cross-language stories become proposals.
    """
    weights = dict(Feed.objects.values_list("id", "weight"))
    aliases = alias_table()
    done = 0
    learned: list[tuple[Story, list[Doc], dict[int, int]]] = []
    for start in range(0, len(story_ids), 1000):
        batch = list(story_ids[start : start + 1000])
        grouped = articles_by_story(batch)
        changed = []
        for story in Story.objects.filter(id__in=batch):
            articles = grouped.get(story.id)
            if not articles:
                if not story.is_kept_by_editor:
                    story.delete()
                continue
            try:
                docs = [article_doc(a, weights) for a in articles]
                copies = {a.id: a.duplicate_of_id for a in articles if a.duplicate_of_id}
                parts = score_story(
                    docs, now, sent_story_keys=sent_keys, taste_model=taste, duplicate_of=copies, aliases=aliases
                )
                summaries = None
                if summarise:
                    summaries = {
                        lang: summarize(docs, sentences=3, duplicate_of=copies, lang=lang)
                        for lang in summary_languages(docs)
                    }
                _refresh(story, articles, docs, parts, summaries)
            except Exception:
                # Whatever one story's content does, it costs that story only: the run goes on.
                log.exception("story %s could not be scored or summarised; the others go on", story.id)
                continue
            story.updated_at = timezone.now()
            changed.append(story)
            if learn_aliases and confident(docs, copies):
                learned.append((story, docs, copies))
        Story.objects.bulk_update(changed, REFRESHED_FIELDS)
        done += len(changed)
    if learned:
        propose_from_stories(learned)
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
        parts["recency"] = round(recency(story.last_article_at, now), 6)  # type: ignore[arg-type]
        total = weighted_total(parts)
        parts["total"] = round(total, 6)
        if parts != story.score_parts:
            story.score_parts, story.score = parts, round(total, 6)
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
    count = refresh_stories(touched, now, taste, sent, summarise=False, learn_aliases=True)
    timings["score"] = time.monotonic() - tick
    tick = time.monotonic()
    refresh_recency(now, exclude=set(touched))
    timings["age"] = time.monotonic() - tick
    tick = time.monotonic()
    best = list(Story.objects.ranked().values_list("id", "summary")[:SUMMARISED])
    refresh_stories([story_id for story_id, summary in best if not summary], now, taste, sent, summarise=True)
    timings["summarise"] = time.monotonic() - tick
    return count
