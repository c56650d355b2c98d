"""`techissue fetch` with misbehaving feeds among good ones: each bad one ends `error` with its cause, the rest go in."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from techissue.sources.models import Article, Feed

pytestmark = pytest.mark.django_db

# path on the misbehaving server → words the feed's last error must contain
BAD_FEEDS = {
    "/stall": "s",  # a timeout of some kind; the exact words are checked in the fetch tests
    "/drip": "in all",
    "/big": "cap",
    "/bomb": "cap",
    "/not-xml": "not",
    "/home.html": "",  # an HTML page that is not a feed
    "/laughs.xml": "entit",
    "/xxe.xml": "entit",
    "/loop-a": "loop",
    "/hop/7": "redirect",
    "/status/404": "404",
    "/status/500": "500",
    "/reset": "",
}


@pytest.fixture
def quick_policy(settings):  # type: ignore[no-untyped-def]
    settings.TECHISSUE_FETCH_DEADLINE = 2.0
    settings.TECHISSUE_FETCH_MAX_BYTES = 2 * 1024 * 1024


def test_it_stores_the_good_feeds_and_explains_each_bad_one(server, demo_newsroom, quick_policy):
    good = [Feed.objects.create(url=url) for url in demo_newsroom.feed_urls()[:3]]
    bad = {Feed.objects.create(url=server.url(path)).id: words for path, words in BAD_FEEDS.items()}
    out = StringIO()
    call_command("fetch", "--quiet", stdout=out)

    for feed in Feed.objects.filter(id__in=bad):
        assert feed.status == "error", feed.url
        assert feed.last_error, feed.url
        assert bad[feed.id] in feed.last_error.lower(), (feed.url, feed.last_error)
        assert feed.error_count == 1
    expected = sum(len(demo_newsroom.corpus.articles_of(o.slug)) for o in demo_newsroom.corpus.outlets[:3])
    assert Article.objects.filter(feed__in=good).count() == expected
    assert set(Feed.objects.filter(id__in=[f.id for f in good]).values_list("status", flat=True)) == {"ok"}
    text = out.getvalue()
    assert "feeds failed" in text and str(len(BAD_FEEDS)) in text
    assert "Traceback" not in text


def test_it_handles_quirky_entries_the_way_a_reader_would(server):
    feed = Feed.objects.create(url=server.url("/quirky.xml"))
    call_command("fetch", "--quiet", stdout=StringIO())
    feed.refresh_from_db()
    assert feed.status == "ok", feed.last_error
    articles = list(Article.objects.filter(feed=feed))
    assert articles
    # Missing titles get one, relative links become absolute, broken dates do not stop the feed.
    assert all(a.title for a in articles)
    assert all(a.url.startswith(("http://", "https://")) for a in articles), [a.url for a in articles]
    # A repeated GUID is one article, not two.
    assert len({a.guid for a in articles}) == len(articles)
