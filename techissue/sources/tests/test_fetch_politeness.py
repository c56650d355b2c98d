"""The fetcher never runs more than `per_host_limit` requests against one host at once."""

from __future__ import annotations

import asyncio
import time

from techissue.sources.fetch import Fetcher

from .badserver import SLOW_SECONDS
from .helpers import quick_policy, run


def test_it_holds_requests_to_one_host_to_the_per_host_limit(server):
    async def fetch_six() -> list[int]:
        async with Fetcher(quick_policy(per_host_limit=2, deadline=1.0)) as fetcher:
            results = await asyncio.gather(*(fetcher.get(server.url(f"/slow/{n}")) for n in range(6)))
        return [result.status for result in results]

    started = time.monotonic()
    statuses = run(fetch_six())
    elapsed = time.monotonic() - started
    assert statuses == [200] * 6
    assert server.peak_concurrency["/slow/"] == 2
    # Six requests two at a time take three rounds; waiting for a slot did not eat the 1 s deadline.
    assert elapsed >= 3 * SLOW_SECONDS
