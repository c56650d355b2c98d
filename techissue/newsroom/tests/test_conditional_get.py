"""Conditional GETs: a matching ETag or an unchanged date gets 304 Not Modified and no body."""

from __future__ import annotations

import httpx

from techissue.newsroom import NewsroomServer


def test_it_answers_a_matching_if_none_match_with_304(newsroom: NewsroomServer) -> None:
    url = newsroom.feed_urls()[0]
    first = httpx.get(url)
    assert first.headers["etag"]
    second = httpx.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert second.status_code == 304
    assert second.content == b""
    assert second.headers["etag"] == first.headers["etag"]


def test_it_answers_a_stale_etag_with_the_full_feed(newsroom: NewsroomServer) -> None:
    url = newsroom.feed_urls()[0]
    response = httpx.get(url, headers={"If-None-Match": '"not-the-current-one"'})
    assert response.status_code == 200
    assert response.content


def test_it_answers_if_modified_since_by_last_modified(newsroom: NewsroomServer) -> None:
    url = newsroom.feed_urls()[1]
    last_modified = httpx.get(url).headers["last-modified"]
    unchanged = httpx.get(url, headers={"If-Modified-Since": last_modified})
    assert unchanged.status_code == 304
    older = httpx.get(url, headers={"If-Modified-Since": "Mon, 02 Nov 2026 00:00:00 GMT"})
    assert older.status_code == 200


def test_it_lets_if_none_match_win_over_if_modified_since(newsroom: NewsroomServer) -> None:
    url = newsroom.feed_urls()[2]
    last_modified = httpx.get(url).headers["last-modified"]
    headers = {"If-None-Match": '"stale"', "If-Modified-Since": last_modified}
    assert httpx.get(url, headers=headers).status_code == 200
