"""The fetcher refuses internal addresses in every spelling, at every redirect, for feeds, discovery and pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from techissue.sources.models import Article, Feed
from tests.hostile import Hostile, Route, serve

pytestmark = pytest.mark.django_db

SECRET = "INTERNAL-ONLY admin token 7f3a: the metadata service answered"


def feed_xml(base: str, link: str) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Outlet</title><link>{base}/</link><description>d</description>
<item><title>A story with a link inside</title><link>{link}</link><guid>{link}</guid>
<pubDate>Mon, 02 Mar 2026 07:00:00 +0900</pubDate><description>Short.</description></item>
</channel></rss>""".encode()


@pytest.fixture
def internal() -> Iterator[Hostile]:
    """A service inside the network: 127.0.0.2 is outside the networks these tests allow."""
    page = f"<html><body><article><p>{SECRET}</p><p>{SECRET} again, at length.</p></article></body></html>"
    routes = {"/": Route(page.encode()), "/feed.xml": Route(feed_xml("http://127.0.0.2", "http://127.0.0.2/x"))}
    with serve(routes, host="127.0.0.2") as server:
        yield server


def fetch_all() -> str:
    out = StringIO()
    call_command("fetch", "--quiet", stdout=out)
    return out.getvalue()


def spellings(port: int) -> dict[str, str]:
    """URL → the words its refusal must contain. The loopback ones would all reach a server on 127.0.0.1."""
    return {
        f"http://127.1:{port}/": "refused: 127.0.0.1 is a loopback address",
        f"http://0x7f000001:{port}/": "refused: 127.0.0.1 is a loopback address",
        f"http://2130706433:{port}/": "refused: 127.0.0.1 is a loopback address",
        f"http://017700000001:{port}/": "refused: 127.0.0.1 is a loopback address",
        f"http://localhost:{port}/": "is a loopback address",
        f"http://[::1]:{port}/": "refused: ::1 is a loopback address",
        f"http://user:pw@127.0.0.1:{port}/": "refused: 127.0.0.1 is a loopback address",
        f"http://[::ffff:127.0.0.1]:{port}/": "a loopback address in IPv6 form (127.0.0.1)",
        f"http://0.0.0.0:{port}/": "refused: 0.0.0.0 is an unspecified address",
        "http://10.0.0.5/feed.xml": "refused: 10.0.0.5 is a private address",
        "http://192.168.1.1/": "refused: 192.168.1.1 is a private address",
        "http://169.254.169.254/latest/meta-data/": "refused: 169.254.169.254 is a link-local address",
        "http://100.64.0.1/": "refused: 100.64.0.1 is a shared (carrier-grade NAT) address",
        "http://224.0.0.1/": "refused: 224.0.0.1 is a multicast address",
        "http://240.0.0.1/": "refused: 240.0.0.1 is a reserved address",
        "http://[fd00::1]/": "refused: fd00::1 is a private address",
        "http://[fe80::1]/": "refused: fe80::1 is a link-local address",
    }


def test_it_refuses_every_spelling_of_an_internal_address(settings):
    settings.TECHISSUE_FETCH_ALLOW_NETWORKS = []
    with serve({"/": Route(feed_xml("http://127.0.0.1", "http://127.0.0.1/x"), "application/rss+xml")}) as target:
        cases = spellings(target.port)
        feeds = {Feed.objects.create(url=url).pk: words for url, words in cases.items()}
        fetch_all()
        assert target.hits == []
    for feed in Feed.objects.filter(pk__in=feeds):
        assert feed.status == "error", feed.url
        assert feeds[feed.pk] in feed.last_error, (feed.url, feed.last_error)
    assert not Article.objects.exists()


def test_adding_a_feed_by_an_internal_address_is_refused(settings, internal):
    settings.TECHISSUE_FETCH_ALLOW_NETWORKS = ["127.0.0.1/32"]
    with pytest.raises(CommandError, match=re.escape("refused: 127.0.0.2 is a loopback address")):
        call_command("feeds", "add", internal.url("/feed.xml"), stdout=StringIO())
    assert internal.hits == []


def test_a_redirect_to_an_internal_port_is_refused(settings, internal):
    settings.TECHISSUE_FETCH_ALLOW_NETWORKS = ["127.0.0.1/32"]
    with serve({}) as outlet:
        outlet.routes["/feed.xml"] = Route(status=302, location=internal.url("/feed.xml"))
        feed = Feed.objects.create(url=outlet.url("/feed.xml"))
        fetch_all()
        assert outlet.hits == ["/feed.xml"]
    feed.refresh_from_db()
    assert feed.status == "error"
    assert "refused: 127.0.0.2 is a loopback address" in feed.last_error
    assert internal.hits == []


def test_an_article_page_on_an_internal_address_is_not_fetched(settings, internal):
    settings.TECHISSUE_FETCH_ALLOW_NETWORKS = ["127.0.0.1/32"]
    with serve({}) as outlet:
        outlet.routes["/feed.xml"] = Route(feed_xml(outlet.url(""), internal.url("/")), "application/rss+xml")
        feed = Feed.objects.create(url=outlet.url("/feed.xml"))
        fetch_all()
        call_command("curate", stdout=StringIO())
    feed.refresh_from_db()
    assert feed.status == "ok", feed.last_error
    assert internal.hits == []
    (article,) = Article.objects.all()
    assert SECRET not in article.text and SECRET not in (article.summary or "")
    from techissue.curation.models import Story

    assert not any(SECRET in (story.summary or "") for story in Story.objects.all())


def test_an_allowed_network_is_reached(settings, internal):
    settings.TECHISSUE_FETCH_ALLOW_NETWORKS = ["127.0.0.2/32"]
    feed = Feed.objects.create(url=internal.url("/feed.xml"))
    fetch_all()
    feed.refresh_from_db()
    assert feed.status == "ok", feed.last_error
    assert internal.hits[0] == "/feed.xml"
