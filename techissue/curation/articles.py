"""The Article→Doc mapping: what the curate stage reads of stored articles, and of a story's members."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import F

from techissue.curation.document import Doc
from techissue.curation.models import Story
from techissue.sources.models import Article, Feed

DOC_FIELDS = [
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


def docs_of(articles: Iterable[Article]) -> list[Doc]:
    weights = dict(Feed.objects.values_list("id", "weight"))
    return [article_doc(article, weights) for article in articles]


def story_articles(story: Story) -> list[Article]:
    return list(Article.objects.filter(story_member__story=story).order_by("published_at", "id"))


def story_docs(story: Story) -> list[Doc]:
    return docs_of(story_articles(story))


def duplicate_map(story: Story) -> dict[int, int]:
    rows = Article.objects.filter(story_member__story=story, duplicate_of__isnull=False)
    return dict(rows.values_list("id", "duplicate_of_id"))


def articles_by_story(story_ids: Sequence[int]) -> dict[int, list[Article]]:
    """Member articles of many stories in one query, oldest first."""
    grouped: dict[int, list[Article]] = defaultdict(list)
    rows = Article.objects.filter(story_member__story_id__in=story_ids).annotate(story_id=F("story_member__story_id"))
    for article in rows.only(*DOC_FIELDS, "duplicate_of_id").order_by("published_at", "id"):
        grouped[article.story_id].append(article)  # type: ignore[attr-defined]
    return grouped
