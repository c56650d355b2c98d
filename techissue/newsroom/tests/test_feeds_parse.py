"""Every outlet's feed parses cleanly, in its own format, with the fields a reader needs."""

from __future__ import annotations

import feedparser
import httpx

from techissue.newsroom import NewsroomServer

EXPECTED_VERSIONS = {"rss2": "rss20", "rss1": "rss10", "atom": "atom10"}


def _parse(url: str) -> feedparser.FeedParserDict:
    response = httpx.get(url)
    assert response.status_code == 200
    return feedparser.parse(response.content)


def test_it_serves_every_feed_without_bozo(newsroom: NewsroomServer) -> None:
    for outlet in newsroom.corpus.outlets:
        parsed = _parse(newsroom.feed_url(outlet.slug))
        assert not parsed.bozo, (outlet.slug, parsed.get("bozo_exception"))
        assert parsed.version == EXPECTED_VERSIONS[outlet.format]
        assert parsed.feed.title == outlet.name
        assert len(parsed.entries) == len(newsroom.corpus.articles_of(outlet.slug))


def test_it_gives_each_entry_id_link_title_author_date_and_summary(
    newsroom: NewsroomServer,
) -> None:
    for outlet in newsroom.corpus.outlets:
        for entry in _parse(newsroom.feed_url(outlet.slug)).entries:
            assert entry.id and entry.title and entry.summary
            assert entry.link.startswith(newsroom.base_url + f"/{outlet.slug}/")
            assert entry.author
            assert entry.published_parsed is not None


def test_it_lists_entries_newest_first(newsroom: NewsroomServer) -> None:
    for outlet in newsroom.corpus.outlets:
        dates = [e.published_parsed for e in _parse(newsroom.feed_url(outlet.slug)).entries]
        assert dates == sorted(dates, reverse=True)


def test_it_carries_the_whole_body_only_for_full_content_outlets(
    newsroom: NewsroomServer,
) -> None:
    for outlet in newsroom.corpus.outlets:
        parsed = _parse(newsroom.feed_url(outlet.slug))
        newest = newsroom.corpus.articles_of(outlet.slug)[0]
        entry = parsed.entries[0]
        if outlet.content == "full":
            html = entry.content[0].value
            assert all(paragraph[:40] in html for paragraph in newest.paragraphs)
        else:
            assert "content" not in entry
            assert entry.summary == newest.summary


def test_it_puts_tracking_parameters_on_the_links_of_some_outlets_only(
    newsroom: NewsroomServer,
) -> None:
    tracked = {
        outlet.slug
        for outlet in newsroom.corpus.outlets
        if "utm_source=" in _parse(newsroom.feed_url(outlet.slug)).entries[0].link
    }
    assert tracked and tracked != {o.slug for o in newsroom.corpus.outlets}
