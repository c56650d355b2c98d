"""Test data: feeds, articles and stories as the collect and curate stages leave them, and editions via actions."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from techissue.curation.models import Story, StoryMember
from techissue.editions import services
from techissue.editions.models import Edition
from techissue.sources.models import Article, Feed

_counter = iter(range(1, 10**9))


def make_story(
    title: str,
    summary: str = "",
    outlets: tuple[str, ...] = ("Outlet",),
    score: float = 1.0,
    decision: str = "",
    when: datetime | None = None,
) -> Story:
    """A story with one article per outlet, the first being the representative (best) article."""
    when = when or timezone.now() - timedelta(hours=1)
    story = Story.objects.create(title=title, summary=summary, score=score, decision=decision, last_article_at=when)
    articles = []
    for offset, outlet in enumerate(outlets):
        n = next(_counter)
        feed, _ = Feed.objects.get_or_create(url=f"http://127.0.0.1:9/{outlet}.xml", defaults={"title": outlet})
        article = Article.objects.create(
            feed=feed,
            outlet=outlet,
            guid=f"g{n}",
            url=f"http://127.0.0.1:9/{outlet}/{n}",
            canonical_url=f"http://127.0.0.1:9/{outlet}/{n}",
            title=title,
            published_at=when + timedelta(minutes=offset),
        )
        StoryMember.objects.create(story=story, article=article)
        articles.append(article)
    story.representative = articles[0] if articles else None
    story.outlet_count = len(outlets)
    story.article_count = len(articles)
    story.save()
    return story


def published_edition(title: str = "", language: str = "ko", picks: int = 2, editorial: str = "") -> Edition:
    """An edition drafted from fresh stories and published through the editor's actions."""
    for index in range(picks):
        make_story(f"Story {next(_counter)}", summary=f"Summary {index}", score=100 - index)
    edition = services.draft_edition(size=picks, language=language)
    if title or editorial:
        edition.title = title or edition.title
        edition.editorial_md = editorial
        edition.save()
    return services.publish_edition(edition)
