"""The one transport seam: EMAIL_URL picks, once, our SMTP pool or a Django/anymail backend; every mail goes through it.

Editions go through `Engine` (many messages, replies recorded as they come); confirmations, welcomes and test
mails go through `send_message` (one message, the same transport, DKIM-signed on SMTP).
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Iterable
from email.utils import parseaddr
from functools import cache
from typing import TYPE_CHECKING, Protocol, TypeVar
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection
from django.utils.module_loading import import_string

from techissue.delivery.breaker import CircuitBreaker
from techissue.delivery.message import Envelope
from techissue.delivery.smtp import Outcome, SmtpConfig
from techissue.delivery.throttle import Throttle

if TYPE_CHECKING:
    from techissue.delivery.engine import EngineConfig

Job = TypeVar("Job")
SMTP_SCHEMES = {"smtp", "smtps"}
BACKEND_SCHEMES = {"anymail", "console", "file"}
DJANGO_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


class Transport(Protocol[Job]):
    """What the engine needs of a way to send: many jobs at once, each outcome reported as soon as it is known."""

    breaker: CircuitBreaker
    throttle: Throttle

    def send_all(
        self,
        jobs: Iterable[Job],
        build: Callable[[Job], Envelope],
        record: Callable[[Job, Outcome], None],
        stop: Callable[[], bool] = ...,
        heartbeat: Callable[[list[Job]], Iterable[Job]] | None = None,
        heartbeat_every: float = 10.0,
        record_sent: Callable[[Job, Outcome, Callable[[], None]], None] | None = None,
        health: Callable[[], None] = ...,
        refill: Callable[[], list[Job]] | None = None,
    ) -> list[Job]:
        """Send; returns the jobs never started (stopping, paused by the breaker, or no longer ours)."""
        ...

    def close(self) -> None: ...


class SendError(smtplib.SMTPException):
    """A single message could not be sent; the text says why (the relay's reply, or the connection error).

    An SMTPException, so that callers written for Django's SMTP backend catch it as they did.
    """


class RecipientsRefused(SendError, smtplib.SMTPRecipientsRefused):
    """The relay (or the provider) refused recipients: `recipients` maps each address to (code, reply)."""

    def __init__(self, recipients: dict[str, tuple[int, str]]):
        smtplib.SMTPRecipientsRefused.__init__(self, recipients)  # type: ignore[arg-type]

    def __str__(self) -> str:
        replies = {address: reply for address, (_code, reply) in self.recipients.items()}
        return "; ".join(f"{address}: {reply!s}" for address, reply in replies.items())


@cache
def transport_kind() -> str:
    """`smtp` (our pool) or `backend` (a Django email backend: anymail's provider, console, file), checked once.

    A scheme or provider the engine cannot serve raises ImproperlyConfigured at start-up, with the fix in it.
    """
    url = settings.EMAIL_URL
    scheme = urlsplit(url).scheme
    if scheme in SMTP_SCHEMES:
        return "smtp"
    if scheme not in BACKEND_SCHEMES:
        raise ImproperlyConfigured(f"EMAIL_URL {url!r}: the delivery engine serves smtp://, smtps:// and anymail://")
    backend = settings.EMAIL_BACKEND
    try:
        import_string(backend)
    except ImportError as error:
        provider = urlsplit(url).netloc
        raise ImproperlyConfigured(
            f"EMAIL_URL {url!r}: no usable email backend {backend!r} ({error}). Check the provider's name "
            f"({provider!r}) against django-anymail's list, and install the extra it needs "
            f"(pip install 'django-anymail[{provider}]')"
        ) from None
    return "backend"


def make_transport(config: EngineConfig) -> Transport:  # type: ignore[type-arg]
    """The transport EMAIL_URL chose, sized by the engine's settings."""
    throttle = Throttle(config.rate_per_second, config.rate_per_domain)
    if transport_kind() == "smtp":
        from techissue.delivery.pipeline import SmtpPool

        smtp = SmtpConfig.from_settings()
        breaker = CircuitBreaker(f"{smtp.host}:{smtp.port}", config.breaker_failures, config.breaker_seconds)
        return SmtpPool(
            smtp,
            connections=config.connections,
            throttle=throttle,
            per_connection=config.per_connection,
            max_in_flight=config.max_in_flight,
            breaker=breaker,
        )
    from techissue.delivery.providers import BackendTransport

    breaker = CircuitBreaker(settings.EMAIL_URL.split("?")[0], config.breaker_failures, config.breaker_seconds)
    return BackendTransport(settings.EMAIL_BACKEND, config.connections, throttle, breaker, config.max_in_flight)


def envelopes_of(message: EmailMessage) -> list[Envelope]:
    """One envelope per recipient of a Django message, DKIM-signed when a key is set."""
    from techissue.delivery.dkimsign import signer_from_settings

    data = message.message().as_bytes(linesep="\r\n")  # type: ignore[call-arg]  # Django's MIMEMixin takes it
    signer = signer_from_settings()
    if signer is not None:
        data = signer.signature_header(data) + data
    sender = parseaddr(message.from_email or settings.DEFAULT_FROM_EMAIL)[1]
    message_id = str(message.extra_headers.get("Message-ID", ""))
    return [Envelope(sender, parseaddr(rcpt)[1], data, message_id) for rcpt in message.recipients()]


def send_message(message: EmailMessage) -> None:
    """Send one message (a confirmation, a welcome, a test mail) through the transport EMAIL_URL chose.

    Raises SendError with the reason when a recipient was not accepted. An EMAIL_BACKEND set explicitly to
    something other than what EMAIL_URL gives (the tests' in-memory outbox, say) is used as it is.
    """
    if transport_kind() == "backend" or settings.EMAIL_BACKEND != DJANGO_SMTP_BACKEND:
        try:
            get_connection(fail_silently=False).send_messages([message])
        except Exception as error:  # providers raise their own errors: one kind for the caller
            raise SendError(str(error)) from error
        return
    from techissue.delivery.pipeline import SmtpPool

    smtp = SmtpConfig.from_settings()
    # One failure opens the breaker: a single mail waits for one connection attempt, not for five.
    pool: SmtpPool[Envelope] = SmtpPool(smtp, connections=1, breaker=CircuitBreaker(f"{smtp.host}:{smtp.port}", 1))
    outcomes: list[tuple[Envelope, Outcome]] = []
    try:
        left = pool.send_all(
            envelopes_of(message), lambda envelope: envelope, lambda e, outcome: outcomes.append((e, outcome))
        )
    finally:
        pool.close()
    if left:
        raise SendError(f"could not reach the mail relay {smtp.host}:{smtp.port}: {pool.breaker.last_error}")
    refused = {e.recipient: (outcome.code, outcome.reply) for e, outcome in outcomes if outcome.kind != "sent"}
    if refused:
        raise RecipientsRefused(refused)
