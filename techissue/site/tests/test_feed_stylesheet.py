"""The Atom feeds name an XSL stylesheet, and that stylesheet turns them into a readable page."""

from __future__ import annotations

import pytest
from lxml import etree

from techissue.editions.tests.builders import published_edition

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("feed_url", ["/feed.atom", "/magazine/feed.atom"])
def test_a_browser_opening_a_feed_gets_a_page(client, feed_url: str) -> None:
    published_edition(title="AI 반도체의 한 주", editorial="# 곡괭이와 청바지\n\n본문.")
    feed = client.get(feed_url).content
    stylesheet = client.get("/feed.xsl")

    assert b'<?xml-stylesheet type="text/xsl" href="/feed.xsl"?>' in feed
    assert stylesheet["Content-Type"].startswith("text/xsl")
    transform = etree.XSLT(etree.fromstring(stylesheet.content))
    page = str(transform(etree.fromstring(feed)))

    assert "<html" in page and "<h1>" in page
    assert ("AI 반도체의 한 주" in page) or ("곡괭이와 청바지" in page)
    assert 'href="http://127.0.0.1:8000/' in page
