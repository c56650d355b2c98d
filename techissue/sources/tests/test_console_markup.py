"""A feed whose titles are rich markup (`[/]`, `[link=…]`) is printed literally by `fetch`, `feeds list` and `stories`."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command

from techissue.sources.models import Feed
from techissue.sources.tests.documents import ENGLISH_PARAGRAPH, rss

pytestmark = pytest.mark.django_db

OUTLET = "[/] Evil [bold red]News"
HEADLINE = "[/][link=http://evil.example]Chip maker opens a factory[/link] :fire:"
FEED = rss(
    f"<item><title>{HEADLINE}</title><link>/a.html</link><guid>m-1</guid>"
    f"<description>{ENGLISH_PARAGRAPH}</description><pubDate>Mon, 02 Mar 2026 09:00:00 GMT</pubDate></item>",
    title=OUTLET,
)


class Hostile(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/feed.xml":
            body, status, kind = FEED.encode(), 200, "application/rss+xml; charset=utf-8"
        elif self.path == "/a.html":
            body, status, kind = f"<html><body><p>{ENGLISH_PARAGRAPH * 3}</p></body></html>".encode(), 200, "text/html"
        else:
            body, status, kind = b"[/] gone", 500, "text/plain"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def hostile_outlet() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_prints_markup_in_outside_text_literally(hostile_outlet: str) -> None:
    Feed.objects.create(url=f"{hostile_outlet}/feed.xml")
    Feed.objects.create(url=f"{hostile_outlet}/[/]broken[bold]")

    fetched = run("fetch", "--all")
    assert "[/]broken[bold]" in fetched  # the failed feed's address, as it is

    listed = run("feeds", "list")
    assert OUTLET[:12] in listed

    run("curate")
    stories = run("stories")
    assert "[/][link=http://evil.example]Chip" in stories and ":fire:" in stories
