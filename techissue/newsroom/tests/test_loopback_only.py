"""The newsroom binds 127.0.0.1 only, and closes cleanly."""

from __future__ import annotations

import httpx
import pytest

from techissue.newsroom import serve_corpus
from techissue.newsroom.tests.conftest import DEMO_CORPUS


def test_it_refuses_to_bind_anything_but_loopback() -> None:
    with pytest.raises(ValueError, match=r"127\.0\.0\.1"):
        serve_corpus(DEMO_CORPUS, host="0.0.0.0")


def test_it_binds_loopback_and_stops_answering_after_close() -> None:
    server = serve_corpus(DEMO_CORPUS)
    assert server.base_url.startswith("http://127.0.0.1:")
    assert httpx.get(server.base_url + "/").status_code == 200
    server.close()
    server.close()  # closing twice is harmless
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.base_url + "/", timeout=2)
