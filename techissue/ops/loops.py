"""A worker loop that survives database and network errors: backoff, one log line per episode, a give-up rule."""

from __future__ import annotations

import logging
import random
import smtplib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.utils import InterfaceError, OperationalError

log = logging.getLogger(__name__)

# Errors that waiting cures: the database, the relay or a feed is away. (A missing table is not one of
# them: it gives up, and the restart that follows finds the migrations applied or says again why not.)
TRANSIENT: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    OSError,
    TimeoutError,
    smtplib.SMTPException,
)
try:  # httpx is always installed, but the loop must not need it to import
    import httpx

    TRANSIENT = (*TRANSIENT, httpx.TransportError)
except ImportError:  # pragma: no cover
    pass


def is_transient(error: BaseException) -> bool:
    return isinstance(error, TRANSIENT)


def describe(error: BaseException) -> str:
    """The error in one line, without the driver's multi-line detail."""
    text = " ".join(str(error).split()) or type(error).__name__
    return f"{type(error).__name__}: {text}"[:300]


def utcnow_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Backoff:
    """Doubling delays with jitter, from `base` up to `cap` seconds; `reset()` after a success."""

    def __init__(self, base: float, cap: float):
        self.base, self.cap, self.failures = base, cap, 0

    def next(self) -> float:
        self.failures += 1
        delay = min(self.cap, self.base * 2 ** (self.failures - 1))
        return delay * random.uniform(0.5, 1.0)

    def reset(self) -> None:
        self.failures = 0


@dataclass
class Episode:
    """A run of failures of one thing (a loop, a relay): logged when it starts and when it ends, not in between."""

    name: str
    logger: logging.Logger = field(default=log)
    failing_since: float | None = None
    failures: int = 0
    error: str = ""

    def failed(self, error: BaseException | str, *, traceback: bool = False) -> bool:
        """Record a failure; True when it starts an episode (and was logged)."""
        text = error if isinstance(error, str) else describe(error)
        self.failures += 1
        self.error = text
        if self.failing_since is not None:
            self.logger.debug("%s still failing: %s", self.name, text)
            return False
        self.failing_since = time.monotonic()
        self.logger.error("%s failing: %s; retrying with backoff", self.name, text, exc_info=traceback)
        return True

    def recovered(self) -> bool:
        """Record a success; True when it ends an episode (and was logged)."""
        if self.failing_since is None:
            return False
        seconds = time.monotonic() - self.failing_since
        self.logger.warning("%s recovered after %.1f s and %d failed attempt(s)", self.name, seconds, self.failures)
        self.failing_since, self.failures, self.error = None, 0, ""
        return True

    @property
    def seconds(self) -> float:
        return 0.0 if self.failing_since is None else time.monotonic() - self.failing_since


class Fatal(Exception):
    """A loop gave up: the process must exit non-zero so that its supervisor restarts it."""


@dataclass
class Loop:
    """Call `step` until `stop` is set; `step` returns whether it found work (if not, rest `idle` seconds).

    1. A failing step is retried with doubling backoff (TECHISSUE_BACKOFF_MAX_SECONDS at most), and the
       connection of this thread is closed so that the next try reconnects.
    2. The first failure of an episode is logged, then the recovery; nothing in between.
    3. Transient errors (database, network) are waited out forever: a worker started before its database
       simply waits. Anything else that keeps failing for TECHISSUE_GIVE_UP_SECONDS calls `on_fatal`.
    """

    name: str
    step: Callable[[], bool]
    idle: float
    stop: threading.Event
    on_fatal: Callable[[str], None]
    state: str = "starting"
    since: str = field(default_factory=utcnow_iso)
    episode: Episode = field(init=False)

    def __post_init__(self) -> None:
        self.episode = Episode(f"{self.name} loop")
        self.backoff = Backoff(0.5, float(settings.TECHISSUE_BACKOFF_MAX_SECONDS))
        self.give_up = float(settings.TECHISSUE_GIVE_UP_SECONDS)

    def report(self) -> dict[str, str]:
        return {"state": self.state, "since": self.since, "error": self.episode.error}

    def _set(self, state: str) -> None:
        if state != self.state:
            self.state, self.since = state, utcnow_iso()

    def run(self) -> None:
        try:
            self._run()
        except BaseException as error:  # a bug in the loop itself, not in a step: nothing will cure it here
            log.critical("%s loop died: %s", self.name, describe(error), exc_info=True)
            self._set("dead")
            self.on_fatal(f"{self.name} loop died: {describe(error)}")
        finally:
            close_connection()

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                busy = self.step()
            except Fatal as error:
                self._set("dead")
                self.on_fatal(str(error))
                return
            except Exception as error:
                self._set("failing")
                self.episode.failed(error, traceback=not is_transient(error))
                close_connection()
                if not is_transient(error) and self.episode.seconds >= self.give_up:
                    self._set("dead")
                    self.on_fatal(f"{self.name} loop gave up after {self.episode.seconds:.0f} s: {self.episode.error}")
                    return
                self.stop.wait(self.backoff.next())
                continue
            self.episode.recovered()
            self.backoff.reset()
            self._set("ok")
            try:
                close_old_connections()
            except Exception:  # the next step will meet the same error and handle it
                close_connection()
            if not busy:
                self.stop.wait(self.idle)
        self._set("stopped")


def close_connection() -> None:
    """Drop this thread's connection, whatever state it is in (the next query opens a fresh one)."""
    try:
        connection.close()
    except Exception:  # a connection to a database that is gone cannot be closed politely
        connection.connection = None
