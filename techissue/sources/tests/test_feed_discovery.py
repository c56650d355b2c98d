"""Pages advertise their feeds with <link rel="alternate">; we find them as absolute URLs."""

from __future__ import annotations

from techissue.sources.parse import find_feed_links

from .helpers import fetch


def test_it_finds_rss_and_atom_links_on_a_served_page(server):
    result = fetch(server.url("/home.html"))
    links = find_feed_links(result.body.decode("utf-8"), result.final_url)
    assert links == [server.url("/feed.xml"), "https://other.example/atom.xml"]


def test_it_ignores_other_alternates_and_honours_base_href():
    html = (
        '<html><head><base href="https://cdn.example/blog/">'
        '<link rel="alternate" type="text/html" href="/ko/">'
        '<LINK REL="Alternate feed" TYPE="application/RSS+xml" HREF="rss.xml">'
        '<link rel="alternate" type="application/rss+xml" href="rss.xml"></head></html>'
    )
    assert find_feed_links(html, "https://www.example/") == ["https://cdn.example/blog/rss.xml"]


def test_it_returns_nothing_for_a_page_without_feeds():
    assert find_feed_links("<html><head><title>x</title></head></html>", "https://example/") == []
