"""A stray byte, a BOM or BOM-less UTF-16 no longer garbles a document: the declared charset wins."""

from __future__ import annotations

import pytest

from techissue.sources.decoding import decode
from techissue.sources.extract import extract_page
from techissue.sources.parse import parse_feed

from . import realworld
from .helpers import fetch


def test_it_keeps_an_english_feed_with_one_stray_byte_in_utf8(server):
    result = fetch(server.url("/real/english-stray.xml"))
    feed = parse_feed(result.body, result.final_url, result.charset)
    assert feed.entries[0].title == realworld.APPLE_TITLE
    assert "said on Monday\ufffd that" in feed.entries[0].summary_html
    assert feed.decoding_note == "1 byte could not be decoded as utf-8 and were replaced with U+FFFD"


def test_it_keeps_a_korean_feed_with_one_inserted_byte_in_utf8(server):
    result = fetch(server.url("/real/korean-stray.xml"))
    feed = parse_feed(result.body, result.final_url, result.charset)
    assert feed.title == "반도체 일보"
    assert feed.entries[0].title == realworld.KOREAN_TITLE
    assert feed.entries[0].summary_html.startswith("국내 팹리스가\ufffd 설계한")


def test_it_keeps_a_korean_page_with_one_inserted_byte_in_utf8():
    page = extract_page(realworld.KOREAN_PAGE_STRAY, "http://127.0.0.1/real/stray-page.html", "utf-8")
    assert "삼성전자가 2일 차세대" in page.text
    assert page.decoding_note.startswith("1 byte could not be decoded as utf-8")


@pytest.mark.parametrize("bom", sorted(realworld.BOMS))
def test_it_honours_a_byte_order_mark(bom):
    feed = parse_feed(realworld.BOMS[bom], "http://x/")
    assert (feed.title, feed.entries[0].title, feed.decoding_note) == ("반도체 일보", realworld.KOREAN_TITLE, "")


def test_it_reads_a_utf8_bom_feed_served_over_http(server):
    result = fetch(server.url("/real/bom-utf-8.xml"))
    assert parse_feed(result.body, result.final_url, result.charset).entries[0].title == realworld.KOREAN_TITLE


@pytest.mark.parametrize("little", [True, False])
def test_it_detects_utf16_without_a_bom(little):
    body = realworld.utf16_without_bom(realworld.KOREAN_FEED, little)
    assert parse_feed(body, "http://x/").entries[0].title == realworld.KOREAN_TITLE


def test_it_falls_back_to_detection_only_when_the_declared_charset_fails_on_many_bytes():
    korean = ("<p>" + realworld.KOREAN_TEASER * 20 + "</p>").encode("cp949")
    decoded = decode(korean, "utf-8")
    assert (decoded.codec, decoded.replaced) == ("cp949", 0)
    assert realworld.KOREAN_TEASER in decoded.text


@pytest.mark.django_db
def test_it_notes_the_replaced_byte_in_the_stored_article(server):
    from techissue.sources.models import Article, Feed
    from techissue.sources.services import fetch_feeds

    fetch_feeds([Feed.objects.create(url=server.url("/real/korean-stray.xml"))], processes=0)
    article = Article.objects.get()
    assert article.title == realworld.KOREAN_TITLE
    assert article.decoding_note == "feed: 1 byte could not be decoded as utf-8 and were replaced with U+FFFD"
