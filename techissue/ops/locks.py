"""Named locks that hold across every process and host: a PostgreSQL advisory lock, or a file lock on SQLite."""

from __future__ import annotations

import fcntl
import functools
import logging
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, ParamSpec, TypeVar

from django.conf import settings
from django.db import connection

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")
_held = threading.local()


class Busy(Exception):
    """The lock is held elsewhere (raised only when not waiting)."""


def lock_key(name: str) -> int:
    """A stable 63-bit key for `name`, shared by every process (advisory locks are numbered)."""
    return zlib.crc32(f"techissue:{name}".encode()) | (0x5EC << 32)


def lock_path(name: str) -> Path:
    """SQLite means one host: a lock file next to the database (or in the data dir for an in-memory one)."""
    database = str(connection.settings_dict["NAME"])
    if database and not database.startswith(("file:", ":memory:")) and Path(database).parent.is_dir():
        return Path(database).with_name(f"{Path(database).name}.{name}.lock")
    return Path(settings.DATA_DIR) / f"{name}.lock"


@contextmanager
def exclusive(name: str, *, wait: bool = True) -> Iterator[None]:
    """Hold the lock `name` for the block; re-entrant in one thread. Without `wait`, raise `Busy` if taken.

    1. PostgreSQL: a session-level advisory lock on this thread's connection. The server drops it when
       the session ends, so a worker that dies never leaves it behind.
    2. SQLite: `flock` on a lock file; the kernel drops it when the process dies.
    """
    counts: dict[str, int] = getattr(_held, "counts", None) or {}
    _held.counts = counts
    if counts.get(name):
        counts[name] += 1
        try:
            yield
        finally:
            counts[name] -= 1
        return
    release = _acquire_postgres(name, wait) if connection.vendor == "postgresql" else _acquire_file(name, wait)
    counts[name] = 1
    try:
        yield
    finally:
        counts[name] = 0
        release()


def _acquire_postgres(name: str, wait: bool) -> Callable[[], None]:
    key = lock_key(name)
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            if not cursor.fetchone()[0]:
                log.info("%s is running elsewhere; waiting for it to end", name)
                cursor.execute("SELECT pg_advisory_lock(%s)", [key])
        else:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            if not cursor.fetchone()[0]:
                raise Busy(name)

    def release() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        except Exception:  # the session is gone, and the server dropped the lock with it
            log.debug("could not unlock %s: the session ended", name)

    return release


def _acquire_file(name: str, wait: bool) -> Callable[[], None]:
    path = lock_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle: IO[bytes] = path.open("ab")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise Busy(name) from None
            log.info("%s is running elsewhere; waiting for it to end", name)
            fcntl.flock(handle, fcntl.LOCK_EX)
    except BaseException:
        handle.close()
        raise

    def release() -> None:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()

    return release


def one_at_a_time(name: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate an entry point so that only one call of it runs at a time across all hosts (others wait)."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            with exclusive(name):
                return function(*args, **kwargs)

        return wrapper

    return decorate
