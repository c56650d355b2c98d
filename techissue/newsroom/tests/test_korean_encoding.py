"""The EUC-KR outlet really sends EUC-KR bytes, declares them, and decodes to the right Hangul."""

from __future__ import annotations

import feedparser
import httpx

from techissue.newsroom import NewsroomServer, Outlet


def _euc_kr_outlet(newsroom: NewsroomServer) -> Outlet:
    (outlet,) = [o for o in newsroom.corpus.outlets if o.encoding == "euc-kr"]
    return outlet


def test_it_declares_euc_kr_in_the_prolog_and_the_header(newsroom: NewsroomServer) -> None:
    response = httpx.get(newsroom.feed_url(_euc_kr_outlet(newsroom).slug))
    assert response.content.startswith(b'<?xml version="1.0" encoding="EUC-KR"?>')
    assert response.headers["content-type"].endswith("charset=euc-kr")
    try:
        response.content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        raise AssertionError("the EUC-KR feed should not be valid UTF-8")


def test_it_decodes_to_the_corpus_hangul_with_feedparser(newsroom: NewsroomServer) -> None:
    outlet = _euc_kr_outlet(newsroom)
    parsed = feedparser.parse(httpx.get(newsroom.feed_url(outlet.slug)).content)
    assert not parsed.bozo
    assert parsed.encoding == "euc-kr"
    assert parsed.feed.title == outlet.name
    expected = [a.title for a in newsroom.corpus.articles_of(outlet.slug)]
    assert [entry.title for entry in parsed.entries] == expected


def test_it_serves_euc_kr_article_pages_with_meta_charset(newsroom: NewsroomServer) -> None:
    outlet = _euc_kr_outlet(newsroom)
    article = newsroom.corpus.articles_of(outlet.slug)[0]
    response = httpx.get(newsroom.article_url(article.key))
    assert b'<meta charset="euc-kr">' in response.content
    page = response.content.decode("euc-kr")
    assert article.title in page
    assert article.paragraphs[0] in page
