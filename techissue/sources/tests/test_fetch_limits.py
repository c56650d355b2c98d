"""The fetcher ends slow, huge and compressed-bomb responses at the policy's limits."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from techissue.sources.fetch import FetchError, FetchPolicy

from .badserver import unaccepting_port
from .helpers import fetch, quick_policy


def test_it_ends_a_one_byte_a_second_drip_at_the_deadline(server):
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/drip"), quick_policy(deadline=2.0, read_timeout=1.5))
    elapsed = time.monotonic() - started
    assert caught.value.kind == "deadline"
    assert "longer than 2 s in all" in str(caught.value)
    assert elapsed >= 1.8  # it waited for the deadline (a busy machine only makes this longer)


def test_it_times_out_a_server_that_never_answers(server):
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/stall"), quick_policy(read_timeout=0.5))
    assert caught.value.kind == "timeout"
    assert str(caught.value) == "the server went silent for 0.5 s"


def test_it_times_out_a_server_that_never_accepts_the_connection():
    port, held = unaccepting_port()
    try:
        with pytest.raises(FetchError) as caught:
            fetch(f"http://127.0.0.1:{port}/", quick_policy(connect_timeout=0.5))
        assert caught.value.kind == "timeout"
        assert "accept the connection" in str(caught.value)
    finally:
        for sock in held:
            sock.close()


def test_it_refuses_a_declared_50_mb_body_without_reading_it(server):
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/big"))
    assert caught.value.kind == "too_large"
    assert str(caught.value) == "the body passed the 10 MB cap"
    # Refused on its Content-Length: far less than the cap left the server (socket buffers only).
    assert server.bytes_sent["/big"] < 10 * 1024 * 1024


def test_it_stops_an_undeclared_50_mb_body_at_the_cap(server):
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/big-stream"))
    assert caught.value.kind == "too_large"


def test_it_stops_a_gzip_bomb_at_the_cap_without_inflating_it(server):
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        with pytest.raises(FetchError) as caught:
            fetch(server.url("/bomb"), quick_policy(deadline=10))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.kind == "too_large"
    # 1 GB inflated; we hold the 10 MB body and one 64 KB step, not a 64 MB network chunk's worth.
    assert peak < 30 * 1024 * 1024


def test_it_reads_a_small_gzip_bomb_in_full_when_the_cap_allows(server):
    # The same stream under a 2 GB cap would be read; a 1 MB cap proves the count is decompressed bytes.
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/bomb"), quick_policy(max_body_bytes=1024 * 1024))
    assert str(caught.value) == "the body passed the 1 MB cap"


def test_it_has_the_documented_default_policy():
    policy = FetchPolicy()
    assert (policy.connect_timeout, policy.read_timeout, policy.deadline) == (5, 10, 20)
    assert (policy.max_redirects, policy.max_body_bytes, policy.per_host_limit) == (5, 10 * 1024 * 1024, 2)
    assert policy.user_agent.startswith("techissue/0.1 (+") and "newsletter feed reader" in policy.user_agent
