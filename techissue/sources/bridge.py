"""The thread/process bridge: the async collector runs in its own thread; outcomes come back to the database thread."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import queue
import threading
from collections.abc import Generator
from concurrent.futures import ProcessPoolExecutor

from techissue.sources.collect import FeedJob, FeedOutcome, collect
from techissue.sources.fetch import FetchPolicy


def _hand_over(out: queue.Queue[object], item: object, stop: threading.Event) -> bool:
    """Put `item` for the storing thread; False when it has stopped listening (then nobody ever will)."""
    while not stop.is_set():
        try:
            out.put(item, timeout=0.1)
            return True
        except queue.Full:
            continue
    return False


def _run_collector(
    jobs: list[FeedJob], policy: FetchPolicy, processes: int, out: queue.Queue[object], stop: threading.Event
) -> None:
    """In its own thread and event loop: fetch everything, hand each feed's outcome to the storing thread.

    When the storing thread stops (it failed), `stop` is set: the next hand-over gives up, which
    ends the loop, cancels the fetches and shuts the process pool down.
    """

    async def run() -> None:
        # forkserver: forking this process, which runs threads, could copy a held lock into the child.
        context = multiprocessing.get_context("forkserver")
        pool = ProcessPoolExecutor(max_workers=processes, mp_context=context) if processes > 0 else None
        try:
            async for outcome in collect(jobs, policy, extract_pool=pool):
                if not _hand_over(out, outcome, stop):
                    break
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)

    try:
        asyncio.run(run())
    except BaseException as error:  # handed over so the storing thread can report it
        _hand_over(out, error, stop)
    finally:
        _hand_over(out, None, stop)


def iter_outcomes(
    jobs: list[FeedJob], policy: FetchPolicy, processes: int, queue_size: int = 64
) -> Generator[FeedOutcome, None, None]:
    """Outcomes as the collector finishes them; the database work stays on the calling thread.

    Close the iterator (a `with closing(…)`, or leaving a for loop by an exception) and the
    collector thread stops and is joined: a storing failure never leaves it blocked on a full queue.
    """
    out: queue.Queue[object] = queue.Queue(maxsize=queue_size)
    stop = threading.Event()
    worker = threading.Thread(
        target=_run_collector, args=(jobs, policy, processes, out, stop), name="techissue-collector", daemon=True
    )
    worker.start()
    try:
        while True:
            item = out.get()
            if item is None:
                break
            if isinstance(item, BaseException):
                raise item
            assert isinstance(item, FeedOutcome)
            yield item
    finally:
        stop.set()
        while worker.is_alive():
            with contextlib.suppress(queue.Empty):
                out.get(timeout=0.1)  # let a blocked hand-over through, so the thread sees `stop`
        worker.join()
