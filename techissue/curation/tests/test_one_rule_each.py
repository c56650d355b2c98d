"""One home each: the editor's aliases for novelty and taste, the recency formula, the kept-by-editor rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from techissue.curation.articles import story_docs
from techissue.curation.clustering import alias_table
from techissue.curation.models import Alias, Story, StoryMember
from techissue.curation.ranking import TasteModel, score_story, story_features, weighted_total
from techissue.curation.refresh import refresh_recency, refresh_stories
from techissue.curation.taste import sent_story_keys
from techissue.sources.models import Article, Feed

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)


@pytest.fixture
def sent_story() -> Story:
    feed = Feed.objects.create(url="https://wire.example/rss", title="Wire")
    article = Article.objects.create(
        feed=feed,
        outlet="Wire",
        guid="1",
        url="https://wire.example/1",
        canonical_url="https://wire.example/1",
        title="Lumenrock opens a lab in Pangyo",
        text="Lumenrock, the optics start-up, opened a research lab in Pangyo on Monday.",
        lang="en",
        published_at=NOW - timedelta(days=2),
    )
    story = Story.objects.create(title=article.title, sent_at=NOW - timedelta(days=1))
    StoryMember.objects.create(story=story, article=article)
    return story


def test_it_uses_the_editors_aliases_for_novelty_and_taste(sent_story):
    assert not any("optics-lumen" in keys for keys in sent_story_keys(NOW))
    Alias.objects.create(surface="Lumenrock", key="optics-lumen")
    assert any("optics-lumen" in keys for keys in sent_story_keys(NOW))
    assert "key=optics-lumen" in story_features(story_docs(sent_story), aliases=alias_table())


def test_it_ages_a_story_with_the_same_formula_it_scored_it_with(sent_story):
    sent_story.sent_at = None
    sent_story.save()
    refresh_stories([sent_story.id], NOW, TasteModel(), [], summarise=False)
    later = NOW + timedelta(hours=36)
    refresh_recency(later, exclude=set())
    sent_story.refresh_from_db()
    expected = score_story(story_docs(sent_story), later)
    assert sent_story.score_parts["recency"] == round(expected.recency, 6)
    assert sent_story.score == round(weighted_total(sent_story.score_parts), 6)


def test_it_keeps_an_empty_story_that_an_edition_sent(sent_story):
    StoryMember.objects.filter(story=sent_story).delete()
    refresh_stories([sent_story.id], NOW, TasteModel(), [], summarise=False)
    assert Story.objects.filter(id=sent_story.id).exists()
    assert sent_story in Story.objects.kept_by_editor()
