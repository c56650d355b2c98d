"""A loopback HTTP server that misbehaves on purpose: slow, huge, broken, looping, hostile."""

from __future__ import annotations

import contextlib
import gzip
import socket
import struct
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import documents

ETAG = '"v1"'
LAST_MODIFIED = "Mon, 02 Mar 2026 09:00:00 GMT"
SLOW_SECONDS = 0.3


def gzip_bomb(inflated_mib: int = 1024) -> bytes:
    """A valid gzip stream of `inflated_mib` MiB of zeros, about 1 KB per MiB.

    After a full flush deflate restarts with an empty window, so every further MiB of zeros
    compresses to the same bytes: we compress two and repeat the second, then add the trailer.
    """
    mib = b"\0" * (1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    first = compressor.compress(mib) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeat = compressor.compress(mib) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(inflated_mib):
        crc = zlib.crc32(mib, crc)
    final_block = b"\x03\x00"  # an empty fixed-Huffman block with BFINAL set
    trailer = struct.pack("<II", crc, (inflated_mib << 20) & 0xFFFFFFFF)
    return first + repeat * (inflated_mib - 1) + final_block + trailer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: BadServer

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        self.server.record(path, self.headers.get("User-Agent", ""))
        with self.server.concurrency(path):
            for prefix, route in ROUTES:
                if path == prefix or (prefix.endswith("/") and path.startswith(prefix)):
                    route(self, path)
                    return
            self.send_body(b"not here", "text/plain", status=404)

    def send_body(self, body: bytes, content_type: str, status: int = 200, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str, status: int = 302) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


def _text(body: str, content_type: str = "application/rss+xml; charset=utf-8") -> Callable[[_Handler, str], None]:
    def route(handler: _Handler, path: str) -> None:
        handler.send_body(body.encode("utf-8"), content_type)

    return route


def _bytes(body: bytes, content_type: str) -> Callable[[_Handler, str], None]:
    def route(handler: _Handler, path: str) -> None:
        handler.send_body(body, content_type)

    return route


def _conditional(handler: _Handler, path: str) -> None:
    if handler.headers.get("If-None-Match") == ETAG or handler.headers.get("If-Modified-Since") == LAST_MODIFIED:
        handler.send_response(304)
        handler.send_header("ETag", ETAG)
        handler.end_headers()
        return
    handler.send_body(documents.GOOD_FEED.encode(), "application/rss+xml", ETag=ETAG, Last_Modified=LAST_MODIFIED)


def _stall(handler: _Handler, path: str) -> None:
    handler.server.stopping.wait(30)  # says nothing until the client gives up or the tests end


def _drip(handler: _Handler, path: str) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.send_header("Content-Length", "10000")
    handler.end_headers()
    for _ in range(10000):
        if handler.server.stopping.wait(1.0):
            return
        try:
            handler.wfile.write(b"<")
            handler.wfile.flush()
        except OSError:
            return


def _huge(handler: _Handler, path: str) -> None:
    """50 MB of zeros; with Content-Length on /big, close-delimited on /big-stream."""
    size = 50 * 1024 * 1024
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    if path == "/big":
        handler.send_header("Content-Length", str(size))
    else:
        handler.send_header("Connection", "close")
        handler.close_connection = True
    handler.end_headers()
    chunk = b"\0" * 65536
    try:
        for _ in range(size // len(chunk)):
            handler.wfile.write(chunk)
            handler.server.bytes_sent[path] += len(chunk)
    except OSError:
        pass


def _bomb(handler: _Handler, path: str) -> None:
    handler.send_body(handler.server.bomb, "application/rss+xml", Content_Encoding="gzip")


def _compressed(handler: _Handler, path: str) -> None:
    """The good feed compressed: gzip, zlib-wrapped deflate, or the raw deflate some servers send."""
    body = documents.GOOD_FEED.encode()
    if path.endswith("gzip.xml"):
        encoded, encoding = gzip.compress(body), "gzip"
    elif path.endswith("zlib.xml"):
        encoded, encoding = zlib.compress(body), "deflate"
    else:
        compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        encoded, encoding = compressor.compress(body) + compressor.flush(), "deflate"
    handler.send_body(encoded, "application/rss+xml", Content_Encoding=encoding)


def _reset(handler: _Handler, path: str) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.send_header("Content-Length", "1000")
    handler.end_headers()
    handler.wfile.write(b"<rss><chan")
    handler.wfile.flush()
    # SO_LINGER with a zero timeout turns close() into a TCP reset.
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.connection.close()
    handler.close_connection = True


def _status(handler: _Handler, path: str) -> None:
    code = int(path.rsplit("/", 1)[1])
    headers = {}
    if code == 503:
        headers["Retry_After"] = "120"
    if code == 429:
        headers["Retry_After"] = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    handler.send_body(b"nope", "text/plain", status=code, **headers)


def _loop(handler: _Handler, path: str) -> None:
    handler.redirect("/loop-b" if path == "/loop-a" else "/loop-a")


def _hop(handler: _Handler, path: str) -> None:
    left = int(path.rsplit("/", 1)[1])
    handler.redirect(f"/hop/{left - 1}" if left > 1 else "/feed.xml", 301 if left % 2 else 307)


def _real(handler: _Handler, path: str) -> None:
    from .realworld import documents as real_documents

    host = "http://127.0.0.1"
    found = real_documents(host).get(path.removeprefix("/real/"))
    if found is None:
        handler.send_body(b"not here", "text/plain", status=404)
    else:
        handler.send_body(found[0], found[1])


def _slow(handler: _Handler, path: str) -> None:
    time.sleep(SLOW_SECONDS)
    handler.send_body(documents.GOOD_FEED.encode(), "application/rss+xml")


ROUTES: list[tuple[str, Callable[[_Handler, str], None]]] = [
    ("/feed.xml", _text(documents.GOOD_FEED)),
    ("/atom.xml", _text(documents.ATOM_FEED, "application/atom+xml")),
    ("/quirky.xml", _text(documents.QUIRKY_FEED)),
    ("/teasers.xml", _text(documents.TEASER_FEED)),
    ("/conditional.xml", _conditional),
    ("/stall", _stall),
    ("/drip", _drip),
    ("/big", _huge),
    ("/big-stream", _huge),
    ("/bomb", _bomb),
    ("/compressed/", _compressed),
    ("/reset", _reset),
    ("/not-xml", _text("just some words, no markup", "text/plain")),
    ("/home.html", _text(documents.HOME_PAGE, "text/html; charset=utf-8")),
    ("/laughs.xml", _text(documents.BILLION_LAUGHS)),
    ("/xxe.xml", _text(documents.XXE_FEED)),
    ("/euc-kr.xml", _bytes(documents.EUC_KR_FEED.encode("euc-kr"), "text/xml")),
    ("/cp949.xml", _bytes(documents.CP949_FEED.encode("cp949"), "application/rss+xml")),
    ("/article/en.html", _text(documents.ENGLISH_ARTICLE, "text/html; charset=utf-8")),
    ("/article/ko.html", _bytes(documents.KOREAN_ARTICLE.encode("euc-kr"), "text/html")),
    ("/article/known.html", _text(documents.ENGLISH_ARTICLE, "text/html")),
    ("/article/report.pdf", _bytes(b"%PDF-1.4", "application/pdf")),
    ("/redirect-ftp", lambda handler, path: handler.redirect("ftp://127.0.0.1/feed.xml")),
    ("/loop-a", _loop),
    ("/loop-b", _loop),
    ("/status/", _status),
    ("/hop/", _hop),
    ("/slow/", _slow),
    ("/real/", _real),
]


class BadServer(ThreadingHTTPServer):
    """The server, with a record of the paths asked for and the most concurrent requests per path."""

    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.stopping = threading.Event()
        self.bomb = gzip_bomb()
        self.hits: Counter[str] = Counter()
        self.bytes_sent: Counter[str] = Counter()  # of the huge bodies, as far as the client took them
        self.user_agents: list[str] = []
        self.peak_concurrency: Counter[str] = Counter()
        self._active: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up on purpose (caps, deadlines) are the point of these tests

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def record(self, path: str, user_agent: str) -> None:
        with self._lock:
            self.hits[path] += 1
            self.user_agents.append(user_agent)

    def concurrency(self, path: str) -> _Concurrency:
        return _Concurrency(self, path.rsplit("/", 1)[0] + "/" if path.startswith("/slow/") else path)

    def start(self) -> BadServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()


class _Concurrency:
    """Counts requests in flight per path so tests can check the per-host limit."""

    def __init__(self, server: BadServer, key: str):
        self.server, self.key = server, key

    def __enter__(self) -> None:
        with self.server._lock:
            self.server._active[self.key] += 1
            current = self.server._active[self.key]
            self.server.peak_concurrency[self.key] = max(self.server.peak_concurrency[self.key], current)

    def __exit__(self, *exc: object) -> None:
        with self.server._lock:
            self.server._active[self.key] -= 1


def unaccepting_port() -> tuple[int, list[socket.socket]]:
    """A loopback port whose accept queue is full, so a new connection hangs in the handshake.

    Returns the port and the sockets to close afterwards.
    """
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    held = [listener]
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):  # the handshake completes in the background
            filler.connect(("127.0.0.1", port))
        held.append(filler)
    time.sleep(0.05)
    return port, held
