"""Curation survives any content: stories of Japanese, Chinese or `und` articles, and one story that fails."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from techissue.curation import refresh, services
from techissue.curation.models import Story
from techissue.sources.models import Article, Feed

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
JAPANESE = (
    "東京の新興企業が新しい半導体の設計を発表した。量産は来年の春に始まる予定だ。関係者によると、顧客はすでに三社ある。"
)
CHINESE = "深圳一家初创公司发布了新的电池材料。公司表示，明年将在广东建设工厂。投资者对此反应积极。"


def article(feed: Feed, n: int, title: str, text: str, lang: str) -> Article:
    return Article.objects.create(
        feed=feed,
        outlet=feed.title,
        guid=f"g{n}",
        url=f"https://{feed.title.lower()}.example/{n}",
        canonical_url=f"https://{feed.title.lower()}.example/{n}",
        title=title,
        text=text,
        lang=lang,
        published_at=NOW - timedelta(hours=n),
    )


@pytest.fixture
def mixed() -> list[Article]:
    feed = Feed.objects.create(url="https://asia.example/rss", title="Asia")
    other = Feed.objects.create(url="https://more.example/rss", title="More")
    return [
        article(feed, 1, "半導体の新設計", JAPANESE, "ja"),
        article(other, 2, "新しい半導体設計を発表", JAPANESE, "ja"),
        article(feed, 3, "新电池材料", CHINESE, "zh"),
        article(feed, 4, "…", "…", "und"),  # a teaser with nothing in it
        article(other, 5, "2026", "1 2 3", "und"),
    ]


def test_every_run_survives_stories_of_other_languages(mixed):
    services.curate(now=NOW)
    services.curate(now=NOW + timedelta(hours=1))  # and the next run too
    stories = list(Story.objects.ranked())
    assert {a.id for a in mixed} == set(Article.objects.filter(story_member__isnull=False).values_list("id", flat=True))
    japanese = next(story for story in stories if "ja" in story.languages.split(","))
    assert (japanese.summary_lang, japanese.summary[:8]) == ("ja", JAPANESE[:8])
    chinese = next(story for story in stories if story.languages == "zh")
    assert chinese.summary.startswith("深圳一家初创公司")


def test_a_failure_on_one_story_costs_only_that_story(mixed, monkeypatch, caplog):
    real = refresh.summarize

    def summarize(docs, *args, **kwargs):  # fault injection: one story's summary blows up
        if any(doc.lang == "zh" for doc in docs):
            raise RuntimeError("this story's content broke the summariser")
        return real(docs, *args, **kwargs)

    monkeypatch.setattr(refresh, "summarize", summarize)
    services.curate(now=NOW)
    by_lang = {story.languages: story for story in Story.objects.ranked()}
    assert by_lang["zh"].summary == ""
    assert by_lang["ja"].summary.startswith(JAPANESE[:8])
    assert "could not be scored or summarised" in caplog.text
