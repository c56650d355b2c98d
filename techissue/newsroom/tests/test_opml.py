"""The OPML file lists every outlet's feed, so a reader can subscribe to the whole newsroom."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import httpx

from techissue.newsroom import NewsroomServer


def test_it_lists_every_outlet_feed(newsroom: NewsroomServer) -> None:
    response = httpx.get(newsroom.opml_url)
    assert response.status_code == 200
    assert "opml" in response.headers["content-type"]
    root = ET.fromstring(response.content)
    assert root.tag == "opml" and root.get("version") == "2.0"
    outlines = root.findall("./body/outline")
    assert [o.get("xmlUrl") for o in outlines] == newsroom.feed_urls()
    assert [o.get("text") for o in outlines] == [o.name for o in newsroom.corpus.outlets]
    assert all(o.get("type") == "rss" and o.get("htmlUrl") for o in outlines)


def test_every_listed_feed_is_reachable(newsroom: NewsroomServer) -> None:
    root = ET.fromstring(httpx.get(newsroom.opml_url).content)
    for outline in root.findall("./body/outline"):
        assert httpx.get(outline.get("xmlUrl", "")).status_code == 200
