"""Fetching the demo newsroom through the real path stores one clean row per article."""

from __future__ import annotations

import pytest

from techissue.sources.claiming import claim_due_feeds
from techissue.sources.feeds import add_feed, import_opml, read_opml_source
from techissue.sources.models import Article, Feed
from techissue.sources.services import FetchSummary, fetch_feeds

pytestmark = pytest.mark.django_db


def fetch_all() -> FetchSummary:
    return fetch_feeds(claim_due_feeds(feed_ids=list(Feed.objects.values_list("id", flat=True))), processes=0)


def test_it_stores_every_article_of_every_feed(demo_newsroom):
    import_opml(read_opml_source(demo_newsroom.opml_url))
    summary = fetch_all()
    expected = len(demo_newsroom.corpus.articles)
    assert summary.feeds_failed == 0
    assert summary.new_articles == expected
    assert Article.objects.count() == expected
    assert set(Feed.objects.values_list("status", flat=True)) == {"ok"}


def test_it_is_idempotent_when_fetched_again(demo_newsroom):
    import_opml(read_opml_source(demo_newsroom.opml_url))
    fetch_all()
    before = Article.objects.count()
    again = fetch_all()
    assert again.new_articles == 0
    assert Article.objects.count() == before
    # The server answers 304 to the stored validators: nothing is parsed again.
    assert again.feeds_unchanged == Feed.objects.count()


def test_it_drops_tracking_parameters_from_canonical_urls(demo_newsroom):
    import_opml(read_opml_source(demo_newsroom.opml_url))
    fetch_all()
    urls = list(Article.objects.values_list("canonical_url", flat=True))
    assert urls and not [url for url in urls if "utm_" in url or "fbclid" in url]


def test_it_decodes_the_euc_kr_outlet_to_hangul(demo_newsroom):
    outlet = next(o for o in demo_newsroom.corpus.outlets if o.encoding.lower() in {"euc-kr", "cp949"})
    feed = add_feed(demo_newsroom.feed_url(outlet.slug))
    fetch_feeds(claim_due_feeds(feed_ids=[feed.id]), processes=0)
    written = {a.title for a in demo_newsroom.corpus.articles if a.outlet == outlet.slug}
    stored = set(Article.objects.filter(feed=feed).values_list("title", flat=True))
    assert stored == written
    assert Feed.objects.get(id=feed.id).title == outlet.name


def test_it_extracts_full_text_for_summary_only_outlets(demo_newsroom):
    outlet = next(o for o in demo_newsroom.corpus.outlets if o.content == "summary")
    feed = add_feed(demo_newsroom.feed_url(outlet.slug))
    fetch_feeds(claim_due_feeds(feed_ids=[feed.id]), processes=0)
    articles = list(Article.objects.filter(feed=feed))
    assert articles and all(a.full_text_source == "page" for a in articles)
    for article in articles:
        written = next(a for a in demo_newsroom.corpus.articles if a.title == article.title)
        # The extracted text carries the body's paragraphs, not just the feed's teaser.
        assert written.paragraphs[-1][:40] in article.text
        assert article.lang == outlet.lang
