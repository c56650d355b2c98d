"""A loopback HTTP server serving fixed routes, for attack tests: hostile feeds, internal pages, redirects."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    location: str = ""


@dataclass
class Hostile:
    """The running server: `url(path)`, and the paths it was asked for in `hits`."""

    port: int
    routes: dict[str, Route]
    host: str = "127.0.0.1"
    hits: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"


@contextmanager
def serve(routes: dict[str, Route], host: str = "127.0.0.1") -> Iterator[Hostile]:
    """Serve `routes` (path → Route) on `host` (a loopback address) and an ephemeral port until the block ends."""
    state = Hostile(0, routes, host=host)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            state.hits.append(self.path)
            route = state.routes.get(self.path.split("?")[0], Route(b"not here", "text/plain", 404))
            self.send_response(route.status)
            if route.location:
                self.send_header("Location", route.location)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

    server = ThreadingHTTPServer((host, 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
