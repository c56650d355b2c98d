"""The thread/process bridge: the async collector runs in its own thread; outcomes come back to the database thread."""

from __future__ import annotations

import asyncio
import multiprocessing
import queue
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

from techissue.sources.collect import FeedJob, FeedOutcome, collect
from techissue.sources.fetch import FetchPolicy


def _run_collector(jobs: list[FeedJob], policy: FetchPolicy, processes: int, out: queue.Queue[object]) -> None:
    """In its own thread and event loop: fetch everything, hand each feed's outcome to the storing thread."""

    async def run() -> None:
        # forkserver: forking this process, which runs threads, could copy a held lock into the child.
        context = multiprocessing.get_context("forkserver")
        pool = ProcessPoolExecutor(max_workers=processes, mp_context=context) if processes > 0 else None
        try:
            async for outcome in collect(jobs, policy, extract_pool=pool):
                out.put(outcome)
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)

    try:
        asyncio.run(run())
    except BaseException as error:  # handed over so the storing thread can report it
        out.put(error)
    finally:
        out.put(None)


def iter_outcomes(jobs: list[FeedJob], policy: FetchPolicy, processes: int) -> Iterator[FeedOutcome]:
    """Outcomes as the collector finishes them; the database work stays on the calling thread."""
    out: queue.Queue[object] = queue.Queue(maxsize=64)
    worker = threading.Thread(target=_run_collector, args=(jobs, policy, processes, out), daemon=True)
    worker.start()
    while True:
        item = out.get()
        if item is None:
            break
        if isinstance(item, BaseException):
            raise item
        assert isinstance(item, FeedOutcome)
        yield item
    worker.join()
