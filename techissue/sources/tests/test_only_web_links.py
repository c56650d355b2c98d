"""A feed's javascript:, data: and file: links are never stored, so the desk never shows them as links."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from techissue.sources.canonical import web_url
from techissue.sources.models import Article, Feed
from techissue.sources.tests.documents import ENGLISH_PARAGRAPH, rss
from tests.webclient import Browser

HOSTILE_LINKS = [
    "javascript:alert(document.cookie)",
    " JaVaScRiPt:alert(1)",
    "java&#9;script:alert(2)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgzKTwvc2NyaXB0Pg==",
    "file:///etc/passwd",
    "vbscript:msgbox(4)",
]


def feed_body() -> str:
    items = "".join(
        f"<item><title>Hostile link {n}</title><link>{link}</link><guid>h-{n}</guid>"
        f"<description>{ENGLISH_PARAGRAPH}</description><pubDate>Mon, 02 Mar 2026 09:0{n}:00 GMT</pubDate></item>"
        for n, link in enumerate(HOSTILE_LINKS)
    )
    return rss(items, title="Hostile outlet", link="javascript:alert(5)")


class Outlet(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        body = feed_body().encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def hostile_feed() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Outlet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    server.shutdown()
    server.server_close()


@pytest.mark.django_db(transaction=True)
def test_the_desk_links_no_hostile_scheme_from_a_feed(live_server, hostile_feed: str) -> None:
    Feed.objects.create(url=hostile_feed)
    call_command("fetch", "--all", "--quiet")
    call_command("curate")
    assert Article.objects.count() == len(HOSTILE_LINKS)
    for article in Article.objects.all():
        assert article.url.startswith("http://127.0.0.1:") and article.canonical_url.startswith("http://127.0.0.1:")

    User.objects.create_superuser("editor", password="correct horse battery")
    browser = Browser(live_server.url)
    browser.submit("/admin/login/?next=/admin/", {"username": "editor", "password": "correct horse battery"})
    status, desk = browser.get("/admin/curation/story/desk/")

    assert status == 200 and "Hostile link" in desk
    lowered = desk.lower().replace("&#x27;", "'")
    for scheme in ("javascript:", "data:text", "file:", "vbscript:"):
        assert f'href="{scheme}' not in lowered and f"href=' {scheme}" not in lowered


def test_it_reads_schemes_as_browsers_do() -> None:
    assert web_url("https://news.example/a") == "https://news.example/a"
    assert web_url("  http://news.example/a ") == "http://news.example/a"
    for link in [*HOSTILE_LINKS, "\x01javascript:alert(1)", "java\tscript:alert(1)", "http:///nohost", "", None]:
        assert web_url(link) == "", link
