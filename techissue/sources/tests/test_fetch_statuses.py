"""The fetcher turns statuses, resets and conditional GETs into results or plain-worded errors."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from techissue.sources.fetch import FetchError, parse_retry_after

from . import documents
from .badserver import ETAG, LAST_MODIFIED
from .helpers import fetch


@pytest.mark.parametrize(
    ("status", "words"), [(404, "404 Not Found"), (500, "500 Internal Server Error"), (410, "410 Gone")]
)
def test_it_reports_an_error_status_in_plain_words(server, status, words):
    with pytest.raises(FetchError) as caught:
        fetch(server.url(f"/status/{status}"))
    assert caught.value.kind == "http_status"
    assert caught.value.status == status
    assert str(caught.value) == f"the server answered {words}"


def test_it_keeps_retry_after_seconds_from_a_503(server):
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/status/503"))
    assert str(caught.value) == "the server answered 503 Service Unavailable"
    assert caught.value.retry_after == 120


def test_it_keeps_retry_after_as_an_http_date_from_a_429(server):
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/status/429"))
    assert caught.value.status == 429
    assert caught.value.retry_after is not None
    assert 80 <= caught.value.retry_after <= 91


def test_it_parses_both_retry_after_forms():
    now = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)
    assert parse_retry_after("30", now) == 30
    assert parse_retry_after("Mon, 02 Mar 2026 09:02:00 GMT", now) == 120
    assert parse_retry_after("Mon, 02 Mar 2026 08:00:00 GMT", now) == 0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_it_reports_a_connection_reset_mid_response(server):
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/reset"))
    assert caught.value.kind == "connection"
    assert "mid-response" in str(caught.value)


def test_it_reports_a_refused_connection():
    with pytest.raises(FetchError) as caught:
        fetch("http://127.0.0.1:9/feed.xml")
    assert caught.value.kind == "connection"
    assert "could not connect to 127.0.0.1:9" in str(caught.value)


def test_it_returns_validators_and_then_not_modified(server):
    first = fetch(server.url("/conditional.xml"))
    assert (first.status, first.etag, first.last_modified, first.not_modified) == (200, ETAG, LAST_MODIFIED, False)
    by_etag = fetch(server.url("/conditional.xml"), etag=first.etag)
    assert (by_etag.status, by_etag.not_modified, by_etag.body) == (304, True, b"")
    by_date = fetch(server.url("/conditional.xml"), last_modified=first.last_modified)
    assert by_date.not_modified


def test_it_reports_content_type_and_charset_and_sends_its_user_agent(server):
    result = fetch(server.url("/feed.xml"))
    assert result.content_type == "application/rss+xml"
    assert result.charset == "utf-8"
    assert result.headers["content-type"] == "application/rss+xml; charset=utf-8"
    assert server.user_agents[-1].startswith("techissue/0.1 (+")


@pytest.mark.parametrize("kind", ["gzip", "zlib", "raw-deflate"])
def test_it_inflates_compressed_bodies(server, kind):
    result = fetch(server.url(f"/compressed/{kind}.xml"))
    assert result.body == documents.GOOD_FEED.encode()


def test_it_reports_a_tls_handshake_with_a_plain_http_server(server):
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/feed.xml").replace("http://", "https://"))
    assert caught.value.kind == "tls"
    assert str(caught.value).startswith("the TLS handshake failed")
