"""The fetcher follows redirects by hand: counted, loop-checked, http(s) only."""

from __future__ import annotations

import pytest

from techissue.sources.fetch import FetchError

from .helpers import fetch


def test_it_follows_five_redirects_to_the_feed(server):
    result = fetch(server.url("/hop/5"))
    assert result.status == 200
    assert result.url == server.url("/hop/5")
    assert result.final_url == server.url("/feed.xml")
    assert b"<rss" in result.body


def test_it_gives_up_after_the_sixth_redirect(server):
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/hop/6"))
    assert caught.value.kind == "too_many_redirects"
    assert "more than 5 redirects" in str(caught.value)


def test_it_names_the_url_that_came_back_in_a_redirect_loop(server):
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/loop-a"))
    assert caught.value.kind == "redirect_loop"
    assert str(caught.value) == f"redirect loop: {server.url('/loop-a')} came back"


def test_it_refuses_a_redirect_to_a_non_http_scheme(server):
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/redirect-ftp"))
    assert caught.value.kind == "bad_url"
    assert "ftp://" in str(caught.value)


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/feed.xml", "file:///etc/passwd", "http:///nohost", "not a url"])
def test_it_refuses_urls_it_cannot_fetch(url):
    with pytest.raises(FetchError) as caught:
        fetch(url)
    assert caught.value.kind == "bad_url"
