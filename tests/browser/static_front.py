"""A small stand-in for the nginx of docs/nginx.conf.example: exported files first, everything else proxied to Django."""

from __future__ import annotations

import http.client
import mimetypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from techissue.headers import csp_text

# Hop-by-hop headers belong to one connection and are not passed on.
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


def handler_for(root: Path, upstream: tuple[str, int]) -> type[BaseHTTPRequestHandler]:
    class StaticFirst(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet test output
            pass

        def do_GET(self) -> None:
            # try_files $uri $uri/index.html @django
            relative = unquote(urlsplit(self.path).path).lstrip("/")
            for candidate in (root / relative, root / relative / "index.html"):
                if ".." not in Path(relative).parts and candidate.is_file():
                    self.send_file(candidate)
                    return
            self.proxy()

        def do_POST(self) -> None:
            self.proxy()

        def send_file(self, path: Path) -> None:
            body = path.read_bytes()
            kind = "text/html" if path.suffix == ".html" else mimetypes.guess_type(path.name)[0] or "text/plain"
            self.send_response(200)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Served-By", "static")
            self.send_header("Content-Security-Policy", csp_text())  # as docs/nginx.conf.example sends it
            self.end_headers()
            self.wfile.write(body)

        def proxy(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            # The reader's Host goes through, as nginx's `proxy_set_header Host $host` does, for Django's CSRF check.
            headers = {key: value for key, value in self.headers.items() if key.lower() not in HOP_BY_HOP}
            connection = http.client.HTTPConnection(*upstream, timeout=10)
            try:
                connection.request(self.command, self.path, body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
                self.send_response(response.status)
                for key, value in response.getheaders():
                    if key.lower() not in HOP_BY_HOP and key.lower() != "content-length":
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            finally:
                connection.close()

    return StaticFirst


@contextmanager
def static_front(root: Path, upstream_url: str) -> Iterator[str]:
    """Serve `root` on a loopback port in front of `upstream_url`; yields the front's base URL."""
    upstream = urlsplit(upstream_url)
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), handler_for(root, (upstream.hostname or "127.0.0.1", upstream.port or 80))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
