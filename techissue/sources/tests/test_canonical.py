"""Canonical URLs: one spelling per page, idempotent, Korean paths intact."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from techissue.sources.canonical import canonicalize


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://Example.COM:80/a/./b/../c#top", "http://example.com/a/c"),
        ("https://example.com:443", "https://example.com/"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("https://ex.com/p?utm_source=nl&utm_medium=email&b=2&a=1", "https://ex.com/p?a=1&b=2"),
        ("https://ex.com/p?fbclid=x&gclid=y&mc_cid=1&mc_eid=2&igshid=3&ref=hn&cmpid=4&id=7", "https://ex.com/p?id=7"),
        ("https://ex.com/%7euser/a%2fb", "https://ex.com/~user/a%2Fb"),
        ("https://bücher.example/katalog", "https://xn--bcher-kva.example/katalog"),
        ("https://user:pw@ex.com/x", "https://ex.com/x"),
    ],
)
def test_it_normalises_urls(url, expected):
    assert canonicalize(url) == expected


def test_it_keeps_korean_paths_and_queries():
    url = "https://news.example.kr/뉴스/삼성전자-반도체?검색=인공지능&utm_campaign=x"
    canonical = canonicalize(url)
    assert unquote(canonical) == "https://news.example.kr/뉴스/삼성전자-반도체?검색=인공지능"
    assert canonicalize("https://news.example.kr/%EB%89%B4%EC%8A%A4") == "https://news.example.kr/%EB%89%B4%EC%8A%A4"
    # EUC-KR escapes are someone else's bytes: they stay exactly as they were.
    assert canonicalize("https://old.example.kr/%b4%BA%bd%BA") == "https://old.example.kr/%B4%BA%BD%BA"


def test_it_honours_a_canonical_hint_on_the_same_site():
    assert canonicalize("https://m.ex.com/a?utm_source=x", "/articles/a") == "https://m.ex.com/articles/a"
    assert canonicalize("https://m.ex.com/a", "https://www.ex.com/articles/a") == "https://www.ex.com/articles/a"


def test_it_ignores_a_canonical_hint_for_another_site():
    assert canonicalize("https://ex.com/a", "https://evil.example/a") == "https://ex.com/a"
    assert canonicalize("https://ex.com/a", "javascript:alert(1)") == "https://ex.com/a"


SEGMENT = st.text(alphabet=st.sampled_from("aZ09-._~%/:@!$&'()*+,;=?# 한글é"), max_size=12)
URLS = st.builds(
    lambda scheme, host, port, path, query, fragment: f"{scheme}://{host}{port}/{path}?{query}#{fragment}",
    st.sampled_from(["http", "https", "HTTPS"]),
    st.sampled_from(["example.com", "EXAMPLE.com", "news.example.kr", "한국.example", "bücher.de", "[::1]"]),
    st.sampled_from(["", ":80", ":443", ":8080", ":0080"]),
    SEGMENT,
    st.text(alphabet=st.sampled_from("ab=&utm_fbclid%2F한+ "), max_size=20),
    SEGMENT,
)


@given(URLS)
def test_it_is_idempotent(url):
    once = canonicalize(url)
    assert canonicalize(once) == once
