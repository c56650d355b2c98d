"""A pooled SMTP sender on smtplib: N connections in threads, many messages per connection.

The threads only build and send; every outcome goes back to the caller's thread, which records it.
An accepted message is recorded before any other thread may finish a DATA command (`accept_lock`),
so a crash can lose the record of at most one accepted message: at most one duplicate per crash.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import smtplib
import ssl
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.conf import settings

from techissue.delivery.message import Envelope
from techissue.delivery.throttle import Throttle

log = logging.getLogger(__name__)

Job = TypeVar("Job")


@dataclass(frozen=True)
class SmtpConfig:
    host: str = "127.0.0.1"
    port: int = 25
    username: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False
    timeout: float = 30.0

    @classmethod
    def from_settings(cls) -> SmtpConfig:
        """From Django's EMAIL_* settings (which EMAIL_URL fills in)."""
        return cls(
            host=getattr(settings, "EMAIL_HOST", "127.0.0.1"),
            port=int(getattr(settings, "EMAIL_PORT", 25)),
            username=getattr(settings, "EMAIL_HOST_USER", "") or "",
            password=getattr(settings, "EMAIL_HOST_PASSWORD", "") or "",
            use_tls=bool(getattr(settings, "EMAIL_USE_TLS", False)),
            use_ssl=bool(getattr(settings, "EMAIL_USE_SSL", False)),
            timeout=float(getattr(settings, "EMAIL_TIMEOUT", None) or 30.0),
        )

    def connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        connection: smtplib.SMTP
        if self.use_ssl:
            connection = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        connection.ehlo()
        if self.use_tls:
            connection.starttls(context=context)
            connection.ehlo()
        if self.username:
            connection.login(self.username, self.password)
        return connection


@dataclass(frozen=True)
class Outcome:
    """`sent`, `deferred` (4xx or a broken connection: try again later) or `failed` (5xx: never again)."""

    kind: str
    code: int
    reply: str
    message_id: str = ""


def outcome_of(code: int, reply: bytes | str, message_id: str = "") -> Outcome:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    text = f"{code} {text}".strip()[:1000]
    if 200 <= code < 300:
        return Outcome("sent", code, text, message_id)
    if 500 <= code < 600:
        return Outcome("failed", code, text, message_id)
    return Outcome("deferred", code, text, message_id)


class SmtpPool(Generic[Job]):
    def __init__(
        self, config: SmtpConfig, connections: int = 4, throttle: Throttle | None = None, per_connection: int = 500
    ):
        self.config = config
        self.size = max(1, connections)
        self.throttle = throttle or Throttle()
        self.per_connection = per_connection
        self.slots: list[smtplib.SMTP | None] = [None] * self.size
        self.used: list[int] = [0] * self.size
        self.accept_lock = threading.Lock()

    def send_all(
        self,
        jobs: Iterable[Job],
        build: Callable[[Job], Envelope],
        record: Callable[[Job, Outcome], None],
    ) -> None:
        """Send every job; `record` runs in this thread, once per job, as soon as its outcome is known."""
        todo: queue.Queue[Job] = queue.Queue()
        count = 0
        for job in jobs:
            todo.put(job)
            count += 1
        if not count:
            return
        results: queue.Queue[tuple[Job, Outcome, threading.Event]] = queue.Queue()
        threads = [
            threading.Thread(target=self._run_slot, args=(slot, todo, build, results), daemon=True)
            for slot in range(min(self.size, count))
        ]
        for thread in threads:
            thread.start()
        for _ in range(count):
            job, outcome, recorded = results.get()
            try:
                record(job, outcome)
            finally:
                recorded.set()
        for thread in threads:
            thread.join()

    def close(self) -> None:
        for slot, connection in enumerate(self.slots):
            if connection is not None:
                with contextlib.suppress(smtplib.SMTPException, OSError):
                    connection.quit()
                self.slots[slot] = None

    def _connection(self, slot: int) -> smtplib.SMTP:
        connection = self.slots[slot]
        if connection is not None and self.used[slot] >= self.per_connection:
            self._drop(slot, polite=True)
            connection = None
        if connection is None:
            connection = self.config.connect()
            self.slots[slot] = connection
            self.used[slot] = 0
        return connection

    def _drop(self, slot: int, polite: bool = False) -> None:
        connection = self.slots[slot]
        self.slots[slot] = None
        if connection is None:
            return
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.quit() if polite else connection.close()

    def _run_slot(
        self,
        slot: int,
        todo: queue.Queue[Job],
        build: Callable[[Job], Envelope],
        results: queue.Queue[tuple[Job, Outcome, threading.Event]],
    ) -> None:
        while True:
            try:
                job = todo.get_nowait()
            except queue.Empty:
                return
            recorded = threading.Event()
            try:
                envelope = build(job)
            except Exception as error:  # a message that cannot be built will not build next time either
                log.exception("cannot build message")
                results.put((job, Outcome("failed", 0, f"cannot build the message: {error}"[:1000]), recorded))
                recorded.wait()
                continue
            self.throttle.acquire(envelope.recipient.rpartition("@")[2].lower())
            outcome = self._send_one(slot, envelope, results, job, recorded)
            if outcome is not None:
                results.put((job, outcome, recorded))
            recorded.wait()

    def _send_one(
        self,
        slot: int,
        envelope: Envelope,
        results: queue.Queue[tuple[Job, Outcome, threading.Event]],
        job: Job,
        recorded: threading.Event,
    ) -> Outcome | None:
        """One message over this slot's connection (reconnecting once); None when the outcome is already queued."""
        for attempt in (1, 2):
            try:
                connection = self._connection(slot)
                code, reply = connection.mail(envelope.sender)
                if code != 250:
                    connection.rset()
                    return outcome_of(code, reply)
                code, reply = connection.rcpt(envelope.recipient)
                if code not in (250, 251):
                    connection.rset()
                    return outcome_of(code, reply)
                with self.accept_lock:
                    try:
                        code, reply = connection.data(envelope.data)
                    except smtplib.SMTPDataError as error:
                        code, reply = error.smtp_code, error.smtp_error
                    self.used[slot] += 1
                    outcome = outcome_of(code, reply, envelope.message_id)
                    results.put((job, outcome, recorded))
                    # Hold the lock until the outcome is written down: see the module's docstring.
                    recorded.wait()
                    return None
            except smtplib.SMTPResponseException as error:  # before OSError, its base class
                self._drop(slot)
                return outcome_of(error.smtp_code, error.smtp_error)
            except OSError as error:  # refused, reset, timed out, disconnected: try a fresh connection once
                self._drop(slot)
                if attempt == 2:
                    return Outcome("deferred", 0, f"connection failed: {error}"[:1000])
        return None  # not reached
