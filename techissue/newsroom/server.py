"""Serves a rendered corpus on 127.0.0.1 from a daemon thread, with ETag and Last-Modified."""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urlsplit

from techissue.newsroom.corpus import Corpus, load_corpus
from techissue.newsroom.links import SiteLinks
from techissue.newsroom.render import Resource, render_site

LOOPBACK = "127.0.0.1"


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:24] + '"'


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    site: dict[str, Resource]

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that hangs up early is normal for a test server; say nothing.
        pass


class _Handler(BaseHTTPRequestHandler):
    server: _SiteServer
    server_version = "Newsroom/1.0"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def _respond(self, send_body: bool) -> None:
        # The query string is ignored on purpose: feed links with utm_* parameters reach the page.
        path = unquote(urlsplit(self.path).path)
        resource = self.server.site.get(path)
        if resource is None:
            if self.server.site.get(path + "/") is not None:
                self._send_bare(HTTPStatus.MOVED_PERMANENTLY, {"Location": path + "/"})
            else:
                self._send_bare(HTTPStatus.NOT_FOUND, {})
            return
        etag = _etag(resource.body)
        headers = {
            "ETag": etag,
            "Last-Modified": format_datetime(resource.last_modified.astimezone(UTC), usegmt=True),
            "Cache-Control": "no-cache",
        }
        if self._not_modified(etag, resource.last_modified):
            self._send_bare(HTTPStatus.NOT_MODIFIED, headers)
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", resource.content_type)
        self.send_header("Content-Length", str(len(resource.body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(resource.body)

    def _not_modified(self, etag: str, last_modified: datetime) -> bool:
        # RFC 9110: If-None-Match wins over If-Modified-Since when both are sent.
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            offered = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return "*" in offered or etag in offered
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since:
            try:
                since = parsedate_to_datetime(if_modified_since)
            except (TypeError, ValueError):
                return False
            if since.tzinfo is None:
                return False
            return last_modified.replace(microsecond=0) <= since
        return False

    def _send_bare(self, status: HTTPStatus, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Length", "0")
        self.end_headers()


class NewsroomServer:
    """A running newsroom; use it as a context manager, or call `close()`."""

    def __init__(
        self,
        corpus: Corpus,
        host: str = LOOPBACK,
        port: int = 0,
        shift_to: datetime | None = None,
    ) -> None:
        if host not in (LOOPBACK, "localhost"):
            raise ValueError(f"the newsroom only binds {LOOPBACK}, not {host!r}")
        self.corpus = corpus.shifted(shift_to) if shift_to is not None else corpus
        self._httpd = _SiteServer((LOOPBACK, port), _Handler)
        self.port: int = self._httpd.server_address[1]
        self.base_url = f"http://{LOOPBACK}:{self.port}"
        self._links = SiteLinks.for_corpus(self.corpus, self.base_url)
        self._httpd.site = render_site(self.corpus, self.base_url)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"newsroom-{self.port}",
            daemon=True,
        )
        self._thread.start()
        self._closed = False

    @property
    def opml_url(self) -> str:
        return self._links.opml()

    def feed_urls(self) -> list[str]:
        """Every outlet's feed URL, in outlets.toml order."""
        return [self._links.feed(outlet) for outlet in self.corpus.outlets]

    def feed_url(self, outlet_slug: str) -> str:
        return self._links.feed(self.corpus.outlet(outlet_slug))

    def home_url(self, outlet_slug: str) -> str:
        return self._links.home(self.corpus.outlet(outlet_slug))

    def article_url(self, key: str) -> str:
        """The clean (canonical) URL of the article `<outlet>/<slug>`."""
        return self._links.article(self.corpus.article(key))

    def feed_link(self, key: str) -> str:
        """The URL the outlet's feed gives for the article (tracking parameters and all)."""
        article = self.corpus.article(key)
        return self._links.feed_link(self.corpus.outlet(article.outlet), article)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> NewsroomServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def serve_corpus(
    path: str | Path,
    host: str = LOOPBACK,
    port: int = 0,
    shift_to: datetime | None = None,
) -> NewsroomServer:
    """Loads the corpus at `path` and serves it on 127.0.0.1 (port 0 picks a free port)."""
    return NewsroomServer(load_corpus(path), host=host, port=port, shift_to=shift_to)
