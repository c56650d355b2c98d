"""Helpers for upload tests: a logged-in HTTP session on the live server, and image bytes made by Pillow."""

from __future__ import annotations

import re
from io import BytesIO

import httpx
from PIL import Image


def png_bytes(size: tuple[int, int] = (8, 8), color: str = "#2346d6") -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match[1]


def admin_session(base: str, username: str, password: str) -> httpx.Client:
    """An httpx client logged in through the admin's login form, as a browser would be."""
    client = httpx.Client(base_url=base, timeout=30, follow_redirects=False)
    page = client.get("/admin/login/")
    response = client.post(
        "/admin/login/?next=/admin/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": csrf_of(page.text)},
        headers={"Referer": f"{base}/admin/login/"},
    )
    assert response.status_code == 302, "login failed"
    return client


class AppServer:
    """The WSGI app as `techissue serve` runs it (Django's threaded server), on 127.0.0.1 and an ephemeral port.

    Not pytest-django's live_server: that one answers MEDIA_URL itself, before any of our code runs.
    """

    def __init__(self) -> None:
        import threading

        from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
        from django.core.wsgi import get_wsgi_application

        class Quiet(WSGIRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = WSGIServer(("127.0.0.1", 0), Quiet, allow_reuse_address=False)
        self.server.set_app(get_wsgi_application())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> AppServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
