"""Article pages become clean text, safe HTML and metadata, also in a process pool."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime

import pytest

from techissue.sources.extract import extract_page

from . import documents
from .helpers import fetch


@pytest.fixture(scope="module")
def english(server):
    result = fetch(server.url("/article/en.html"))
    return extract_page(result.body, result.final_url, result.charset)


def test_it_extracts_the_article_text_without_the_navigation(english):
    assert "open a new factory" in english.text
    assert "World" not in english.text and "Copyright" not in english.text


def test_it_sanitises_the_extracted_html(english):
    for forbidden in ("<script", "onclick", "javascript:", "data:", "<iframe", "steal", "stolen"):
        assert forbidden not in english.html


def test_it_reads_the_metadata(server, english):
    assert english.title == "Factory news"
    assert english.author == "Jane Doe"
    assert english.published == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert english.lead_image == server.url("/img/factory.jpg")
    assert english.canonical_url == server.url("/article/en.html?utm_source=feed")
    assert english.lang == "en"


def test_it_reads_an_euc_kr_page_from_its_meta_charset(server):
    result = fetch(server.url("/article/ko.html"))
    assert result.charset is None
    page = extract_page(result.body, result.final_url, result.charset)
    assert "삼성전자가 2일 차세대 고대역폭 메모리를 공개했다" in page.text
    assert page.lang == "ko"
    assert page.canonical_url == "https://www.localhost-news.kr/news/1"


def test_it_runs_in_a_process_pool():
    body = documents.KOREAN_ARTICLE.encode("euc-kr")
    with ProcessPoolExecutor(max_workers=1) as pool:
        page = pool.submit(extract_page, body, "http://127.0.0.1/news/1", "euc-kr").result(timeout=120)
    assert page.lang == "ko" and "반도체" in page.text


def test_it_returns_an_empty_page_rather_than_failing_on_junk():
    page = extract_page(b"<html><body></body></html>", "http://127.0.0.1/empty")
    assert page.text == "" and page.html == ""
