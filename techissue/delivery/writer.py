"""Records accepted messages on a thread of its own, in batches: one database round trip serves many replies.

On PostgreSQL each write is a round trip to another process (or host); written from the sending loop, that
wait would hold up every connection. Here the loop hands the outcome over and only that connection waits
for it (its next body does not go out before its record is committed), so the crash bound stays one
unrecorded message per connection.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

from django.db import InterfaceError, OperationalError, connection

from techissue.delivery import leases
from techissue.delivery.leases import Job
from techissue.delivery.smtp import Outcome

log = logging.getLogger(__name__)

DB_ERRORS = (OperationalError, InterfaceError)
RECORD_TRIES = 6  # about half a minute of reconnecting before an outcome is given up on (and the batch with it)


def with_database(write: Callable[[], object]) -> object:
    """Run one write, reconnecting with backoff when the connection was lost (terminated, restarted, cut).

    An outcome that cannot be written after all tries raises: the rows keep their lease, and the next worker
    to claim them after it expires sends at most the messages that were in flight again.
    """
    for attempt in range(RECORD_TRIES):
        try:
            return write()
        except DB_ERRORS as error:
            if attempt == RECORD_TRIES - 1 or connection.in_atomic_block:
                raise
            log.warning("database write failed (%s); reconnecting", str(error).strip().splitlines()[0][:200])
            connection.close()
            time.sleep(min(0.25 * 2**attempt, 8.0))
    raise AssertionError("not reached")


Entry = tuple[Job, Outcome, Callable[[], None]] | None


class SentWriter:
    def __init__(self) -> None:
        self.queue: queue.SimpleQueue[Entry] = queue.SimpleQueue()
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def submit(self, job: Job, outcome: Outcome, done: Callable[[], None]) -> None:
        self.raise_if_failed()
        if self.thread is None:
            self.thread = threading.Thread(target=self._run, name="delivery-writer", daemon=True)
            self.thread.start()
        self.queue.put((job, outcome, done))

    def raise_if_failed(self) -> None:
        if self.error is not None:
            error, self.error = self.error, None
            self.thread = None
            raise error

    def _run(self) -> None:
        try:
            while True:
                first = self.queue.get()
                if first is None:
                    return
                batch = [first]
                stopping = False
                while not stopping:
                    try:
                        entry = self.queue.get_nowait()
                    except queue.Empty:
                        break
                    if entry is None:
                        stopping = True
                    else:
                        batch.append(entry)
                sent = [(job, outcome) for job, outcome, _done in batch]
                written = with_database(lambda sent=sent: leases.mark_sent_many(sent))  # type: ignore[misc]
                if isinstance(written, int) and written < len(sent):
                    log.warning("%d accepted deliveries were no longer ours: not written", len(sent) - written)
                for _job, _outcome, done in batch:
                    done()
                if stopping:
                    return
        except BaseException as error:  # handed to the sending loop, which raises it
            self.error = error
        finally:
            connection.close()

    def close(self) -> None:
        if self.thread is not None:
            self.queue.put(None)
            self.thread.join(timeout=60)
            self.thread = None
