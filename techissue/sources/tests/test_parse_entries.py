"""Feed entries come out with absolute links, fallback titles and GUIDs, and UTC dates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from techissue.sources.parse import FULL_TEXT_MIN_CHARS, parse_feed

from . import documents
from .helpers import fetch


@pytest.fixture(scope="module")
def quirky(server):
    result = fetch(server.url("/quirky.xml"))
    return parse_feed(result.body, result.final_url, result.charset)


def test_it_resolves_relative_links_against_the_feed_url(server, quirky):
    assert quirky.entries[0].url == server.url("/posts/relative.html")
    assert quirky.entries[1].url == server.url("/posts/a.html")


def test_it_makes_a_title_from_the_summary_when_the_title_is_missing(quirky):
    assert quirky.entries[0].title == "No title here but a summary that is long enough to give…"


def test_it_turns_a_broken_date_into_none(quirky):
    assert quirky.entries[0].published is None


def test_it_keeps_the_first_of_repeated_guids(quirky):
    guids = [entry.guid for entry in quirky.entries]
    assert guids.count("q-2") == 1
    assert next(entry for entry in quirky.entries if entry.guid == "q-2").title == "First copy"


def test_it_falls_back_to_the_link_and_then_a_hash_for_the_guid(server, quirky):
    no_guid = next(entry for entry in quirky.entries if entry.title == "No guid")
    assert no_guid.guid == server.url("/posts/no-guid.html")
    nothing = next(entry for entry in quirky.entries if entry.title == "Nothing to link")
    assert nothing.guid.startswith("sha1:") and nothing.url == ""


def test_it_converts_dates_to_aware_utc(quirky):
    no_guid = next(entry for entry in quirky.entries if entry.title == "No guid")
    assert no_guid.published == datetime(2026, 3, 3, 9, 30, tzinfo=UTC)


def test_it_reads_the_feed_and_site_urls(server, quirky):
    assert quirky.title == "Test outlet"
    assert quirky.link == server.url("/quirky.xml")
    assert quirky.site_url == "https://quirky.example/"


def test_it_reads_atom_with_its_self_link_and_author(server):
    result = fetch(server.url("/atom.xml"))
    feed = parse_feed(result.body, result.final_url, result.charset)
    assert (feed.link, feed.site_url) == ("https://atom.example/atom.xml", "https://atom.example/")
    entry = feed.entries[0]
    assert (entry.guid, entry.author) == ("urn:atom:1", "Kim")
    assert entry.published == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_it_flags_full_text_only_when_the_feed_carries_the_article():
    feed = parse_feed(documents.TEASER_FEED.encode(), "http://x/teasers.xml")
    flags = {entry.title: entry.is_full_text for entry in feed.entries}
    assert flags["Everything in the feed"] is True
    assert flags["Factory news"] is False
    full = next(entry for entry in feed.entries if entry.title == "Everything in the feed")
    assert "<script" not in full.content_html


def test_it_treats_a_long_description_as_full_text():
    long_text = "word " * (FULL_TEXT_MIN_CHARS // 4)
    feed = parse_feed(
        documents.rss(f"<item><title>t</title><guid>1</guid><description>{long_text}</description></item>").encode(),
        "http://x/",
    )
    assert feed.entries[0].is_full_text
    assert feed.entries[0].content_html.strip() == long_text.strip()
