"""Korean feeds decode to correct Hangul whatever their charset labels say."""

from __future__ import annotations

import unicodedata

from techissue.sources.parse import parse_feed

from . import documents
from .helpers import fetch


def test_it_reads_an_euc_kr_feed_declared_in_the_prolog(server):
    result = fetch(server.url("/euc-kr.xml"))
    assert result.charset is None
    feed = parse_feed(result.body, result.final_url, result.charset)
    assert feed.title == "한국 경제 뉴스"
    assert feed.entries[0].title == "반도체 공개"
    assert "삼성전자가 2일 차세대" in feed.entries[0].summary_html


def test_it_detects_a_cp949_feed_with_no_declared_charset(server):
    result = fetch(server.url("/cp949.xml"))
    feed = parse_feed(result.body, result.final_url, result.charset)
    assert feed.title == "국내 기술 소식"
    assert feed.entries[0].title == "똠방각하와 햏자의 인공지능 이야기"


def test_it_trusts_the_prolog_over_a_wrong_http_charset():
    feed = parse_feed(documents.EUC_KR_FEED.encode("euc-kr"), "http://x/", http_charset="utf-8")
    assert feed.title == "한국 경제 뉴스"


def test_it_uses_the_http_charset_when_the_prolog_is_silent():
    feed = parse_feed(documents.CP949_FEED.encode("cp949"), "http://x/", http_charset="ks_c_5601-1987")
    assert feed.entries[0].title.startswith("똠방각하")


def test_it_hands_back_nfc_text_for_decomposed_hangul():
    decomposed = unicodedata.normalize("NFD", documents.rss("<item><title>한글</title><guid>1</guid></item>"))
    feed = parse_feed(decomposed.encode("utf-8"), "http://x/")
    assert feed.entries[0].title == "한글"
    assert len(feed.entries[0].title) == 2


def test_it_reads_a_utf16_feed():
    document = documents.rss(
        "<item><title>유니코드 제목</title><guid>1</guid></item>", prolog='<?xml version="1.0" encoding="utf-16"?>'
    )
    feed = parse_feed(document.encode("utf-16"), "http://x/")
    assert feed.entries[0].title == "유니코드 제목"


def test_it_forgives_blank_lines_before_the_prolog():
    feed = parse_feed(b"\n\n  " + documents.GOOD_FEED.encode(), "http://x/")
    assert feed.entries[0].title == "Factory news"
