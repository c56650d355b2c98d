"""The editor's merges, splits, picks and edited titles survive every later run, incremental or rebuild."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from techissue.curation import desk, services
from techissue.curation.models import Story, StoryMember
from techissue.sources.claiming import claim_due_feeds
from techissue.sources.feeds import import_opml, read_opml_source
from techissue.sources.models import Article, Feed
from techissue.sources.services import fetch_feeds

pytestmark = pytest.mark.django_db


@pytest.fixture
def curated(demo_newsroom):  # type: ignore[no-untyped-def]
    import_opml(read_opml_source(demo_newsroom.opml_url))
    feeds = claim_due_feeds(feed_ids=list(Feed.objects.values_list("id", flat=True)))
    fetch_feeds(feeds, processes=0)
    services.curate(now=max(a.published for a in demo_newsroom.corpus.articles))
    return demo_newsroom


def members(story: Story) -> set[int]:
    return set(StoryMember.objects.filter(story=story).values_list("article_id", flat=True))


def test_it_puts_every_article_in_exactly_one_story(curated):
    assert StoryMember.objects.count() == Article.objects.count() == len(curated.corpus.articles)
    assert Story.objects.ranked().count() >= 20


def test_it_keeps_a_merge_through_a_rebuild(curated):
    first, second = Story.objects.ranked()[:2]
    merged = desk.merge_stories(first, [second])
    together = members(merged)
    services.curate(rebuild=True)
    merged.refresh_from_db()
    assert merged.locked and members(merged) == together
    assert Story.objects.get(id=second.id).merged_into_id == merged.id


def test_it_keeps_a_split_through_a_rebuild(curated):
    story = next(s for s in Story.objects.ranked() if s.article_count >= 3)
    ids = sorted(members(story))
    new_story = desk.split_story(story, ids[:1])
    services.curate(rebuild=True)
    assert members(Story.objects.get(id=new_story.id)) == set(ids[:1])
    assert members(Story.objects.get(id=story.id)) == set(ids[1:])


def test_it_keeps_an_edited_title_and_a_pick(curated):
    story = Story.objects.ranked().first()
    desk.edit_story_title(story, "편집자가 고친 제목")
    desk.decide(story, Story.Decision.PICKED)
    services.curate(rebuild=True)
    story.refresh_from_db()
    assert story.title == "편집자가 고친 제목"
    assert story.decision == "picked"


def test_it_refuses_to_split_off_every_article(curated):
    story = next(s for s in Story.objects.ranked() if s.article_count >= 2)
    with pytest.raises(ValueError, match="not all"):
        desk.split_story(story, sorted(members(story)))


def test_it_lets_new_articles_join_existing_stories_incrementally(curated):
    story = next(s for s in Story.objects.ranked() if s.article_count >= 3)
    victim = Article.objects.filter(story_member__story=story, duplicate_of__isnull=True).order_by("-id").first()
    StoryMember.objects.filter(article=victim).delete()
    report = services.curate()
    assert report.new_articles == 1
    assert StoryMember.objects.get(article=victim).story_id == story.id


def test_the_desk_picks_merges_and_splits_through_posts(curated, client):
    client.force_login(get_user_model().objects.create_superuser("ed", "ed@example.com", "pw"))
    first, second = Story.objects.ranked()[:2]
    client.post("/admin/curation/story/desk/act/", {"action": "pick", "story": first.id})
    assert Story.objects.get(id=first.id).decision == "picked"
    client.post("/admin/curation/story/desk/act/", {"action": "merge", "merge": [first.id, second.id]})
    assert Story.objects.get(id=second.id).merged_into_id == first.id
    ids = sorted(members(first))
    client.post("/admin/curation/story/desk/act/", {"action": "split", "story": first.id, "articles": ids[:1]})
    assert members(Story.objects.get(id=first.id)) == set(ids[1:])
    page = client.get("/admin/curation/story/desk/").content.decode()
    assert Story.objects.get(id=first.id).title.split()[0] in page


def test_it_prints_stories_as_json_in_the_documented_shape(curated):
    data = desk.stories_as_json(limit=5)
    story = data["stories"][0]  # type: ignore[index]
    assert {"id", "rank", "score", "title", "summary", "languages", "articles"} <= set(story)
    article = story["articles"][0]
    assert set(article) == {"id", "url", "canonical_url", "outlet", "lang", "title", "published", "duplicate_of"}
    copies = [a for s in desk.stories_as_json(limit=50)["stories"] for a in s["articles"] if a["duplicate_of"]]  # type: ignore[index]
    assert copies and all(c["duplicate_of"].startswith("http://127.0.0.1") for c in copies)


def test_it_stores_features_and_clusters_the_same_from_them(curated):
    from techissue.curation.models import ArticleFeatures

    # Copies are matched to their original, never clustered: their features are not needed.
    assert ArticleFeatures.objects.count() == Article.objects.filter(duplicate_of__isnull=True).count()
    assert ArticleFeatures.objects.filter(signature__isnull=False).count() > 0

    def partition() -> set[frozenset[int]]:
        groups: dict[int, set[int]] = {}
        for story_id, article_id in StoryMember.objects.values_list("story_id", "article_id"):
            groups.setdefault(story_id, set()).add(article_id)
        return {frozenset(group) for group in groups.values()}

    copies = dict(Article.objects.filter(duplicate_of__isnull=False).values_list("id", "duplicate_of_id"))
    before = partition()
    services.curate(rebuild=True)  # reads every article's features back instead of analysing it
    assert partition() == before
    assert dict(Article.objects.filter(duplicate_of__isnull=False).values_list("id", "duplicate_of_id")) == copies


def test_it_stores_each_articles_meaning_and_writes_summaries_in_both_languages(curated):
    from techissue.curation.embedding import from_bytes
    from techissue.curation.models import ArticleFeatures

    vectors = [from_bytes(row) for row in ArticleFeatures.objects.values_list("embedding", flat=True)]
    originals = Article.objects.filter(duplicate_of__isnull=True).count()  # copies join their original unanalysed
    assert len(vectors) == originals and all(vector is not None for vector in vectors)
    bilingual = [s for s in Story.objects.ranked() if s.summary and s.languages == "en,ko"]
    assert bilingual, "the demo newsroom has stories in both languages"
    for story in bilingual:
        assert story.summary_lang == "ko" and story.summary_en and story.summary_en != story.summary
    parts = Story.objects.ranked().first().score_parts  # type: ignore[union-attr]
    assert {"coverage", "velocity", "outlet", "recency", "novelty", "taste", "total"} <= set(parts)
