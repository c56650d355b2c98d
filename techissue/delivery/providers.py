"""The provider side of the transport seam: any Django email backend (django-anymail's providers above all).

Each reader's message is built exactly as for SMTP, then handed to the backend as a Django message with its
headers (Message-ID, List-Unsubscribe, List-Unsubscribe-Post, List-Id…). Provider APIs are slow to answer too,
so `connections` threads each hold a backend connection (a keep-alive HTTP session) and send at once; each
outcome is recorded on the caller's thread the moment it comes back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from email import policy
from email.message import EmailMessage as ParsedMessage
from email.parser import BytesParser
from typing import Any, Generic, TypeVar

from django.core.mail import EmailMultiAlternatives, get_connection

from techissue.delivery.breaker import CircuitBreaker
from techissue.delivery.message import Envelope
from techissue.delivery.returns import anymail_metadata
from techissue.delivery.smtp import Outcome
from techissue.delivery.throttle import RELAY, Throttle

log = logging.getLogger(__name__)

Job = TypeVar("Job")
# The headers a provider must pass on as they are; From, To and Subject travel as the message's own fields.
PASSED_HEADERS = (
    "Message-ID",
    "Date",
    "List-Id",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
    "List-Archive",
    "Precedence",
)


def django_message(envelope: Envelope) -> EmailMultiAlternatives:
    """Our built message as a Django message: the same text, HTML and headers (the provider signs DKIM itself)."""
    parsed = BytesParser(policy=policy.default).parsebytes(envelope.data)
    assert isinstance(parsed, ParsedMessage)
    text_part, html_part = parsed.get_body(("plain",)), parsed.get_body(("html",))
    text = text_part.get_content() if isinstance(text_part, ParsedMessage) else ""
    headers = {name: " ".join(str(parsed[name]).split()) for name in PASSED_HEADERS if parsed[name] is not None}
    message = EmailMultiAlternatives(
        subject=str(parsed["Subject"] or ""),
        body=text,
        from_email=str(parsed["From"]),
        to=[str(parsed["To"])],
        reply_to=[str(parsed["Reply-To"])] if parsed["Reply-To"] else None,
        headers=headers,
    )
    if isinstance(html_part, ParsedMessage):
        message.attach_alternative(html_part.get_content(), "text/html")
    # Providers return metadata with their webhook events: the signed return address ties each event to us.
    setattr(message, "metadata", anymail_metadata(envelope.sender))  # noqa: B010 (anymail's attribute)
    return message


def outcome_of_status(message: EmailMultiAlternatives, envelope: Envelope) -> Outcome:
    """anymail's per-recipient status: sent or queued is delivered; rejected is a hard refusal."""
    status = getattr(message, "anymail_status", None)
    if status is None:  # a plain Django backend (console, file): it took the message
        return Outcome("sent", 250, "250 accepted by the email backend", envelope.message_id)
    kinds = set(status.status or ())
    provider_id = str(status.message_id or "")
    if kinds & {"rejected", "invalid"}:
        return Outcome("failed", 550, f"550 the provider rejected the recipient ({', '.join(sorted(kinds))})")
    if kinds & {"failed"}:
        return Outcome("deferred", 0, "the provider failed to send it")
    return Outcome("sent", 250, f"250 accepted by the provider as {provider_id}"[:1000], envelope.message_id)


class BackendTransport(Generic[Job]):
    def __init__(
        self,
        backend: str,
        connections: int = 4,
        throttle: Throttle | None = None,
        breaker: CircuitBreaker | None = None,
        max_in_flight: int = 0,
    ):
        self.backend = backend
        self.threads = max(1, connections)
        self.max_in_flight = max_in_flight or self.threads
        self.throttle = throttle or Throttle()
        self.breaker = breaker or CircuitBreaker(backend)
        self.executor = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="email-backend")
        self.local = threading.local()
        self.opened: list[Any] = []
        self.lock = threading.Lock()

    def _send(self, envelope: Envelope) -> Outcome:
        """On a sending thread: one message through this thread's own backend connection."""
        connection = getattr(self.local, "connection", None)
        if connection is None:
            connection = self.local.connection = get_connection(self.backend, fail_silently=False)
            connection.open()
            with self.lock:
                self.opened.append(connection)
        message = django_message(envelope)
        message.connection = connection
        try:
            message.send()
        except Exception as error:  # anymail raises AnymailError subclasses; requests and sockets their own
            status = getattr(error, "status_code", None)
            if type(error).__name__ == "AnymailRecipientsRefused":
                return Outcome("failed", 550, f"550 the provider refused the recipient: {error}"[:1000])
            return Outcome("deferred", int(status or 0), f"the provider's API failed: {error}"[:1000])
        return outcome_of_status(message, envelope)

    def send_all(
        self,
        jobs: Iterable[Job],
        build: Callable[[Job], Envelope],
        record: Callable[[Job, Outcome], None],
        stop: Callable[[], bool] = lambda: False,
        heartbeat: Callable[[list[Job]], Iterable[Job]] | None = None,
        heartbeat_every: float = 10.0,
        record_sent: Callable[[Job, Outcome, Callable[[], None]], None] | None = None,
        health: Callable[[], None] = lambda: None,
        refill: Callable[[], list[Job]] | None = None,
    ) -> list[Job]:
        """As `SmtpPool.send_all`; outcomes are recorded on this thread as they come (`record_sent` unused)."""
        todo: deque[Job] = deque(jobs)
        running: dict[Future[Outcome], Job] = {}
        next_beat = time.monotonic() + heartbeat_every
        while todo or running:
            if heartbeat is not None and time.monotonic() >= next_beat:
                lost = set(heartbeat([*todo, *running.values()]))
                todo = deque(job for job in todo if job not in lost)
                next_beat = time.monotonic() + heartbeat_every
            starting = not stop() and not self.breaker.is_open
            if starting and refill is not None and not todo and len(running) < self.max_in_flight:
                todo.extend(refill())
            pause = 0.0
            while starting and todo and len(running) < self.max_in_flight:
                job = todo[0]
                try:
                    envelope = build(job)
                except Exception as error:
                    todo.popleft()
                    log.exception("cannot build message")
                    record(job, Outcome("failed", 0, f"cannot build the message: {error}"[:1000]))
                    continue
                pause = self.throttle.try_acquire(envelope.recipient.rpartition("@")[2].lower())
                if pause:
                    break
                todo.popleft()
                running[self.executor.submit(self._send, envelope)] = job
            if not running:
                if not starting or not todo:
                    break
                time.sleep(min(pause or 0.05, 1.0))
                continue
            done, _pending = wait(list(running), timeout=1.0, return_when=FIRST_COMPLETED)
            for future in done:
                job = running.pop(future)
                outcome = future.result()
                if outcome.kind == "sent":
                    self.breaker.success()
                elif outcome.kind == "deferred":
                    self.breaker.failure(outcome.reply)
                    if outcome.code == 429:
                        self.throttle.slow_down(RELAY)
                record(job, outcome)
        return list(todo)

    def close(self) -> None:
        self.executor.shutdown(wait=True)
        for connection in self.opened:
            try:
                connection.close()
            except Exception:  # closing a provider session must not hide the real outcome
                log.debug("closing an email backend connection failed", exc_info=True)
        self.opened.clear()
