"""SMTP on smtplib: connection settings, outcomes of a reply, safe addresses (the pool is in `pipeline`)."""

from __future__ import annotations

import functools
import logging
import smtplib
import socket
import ssl
from dataclasses import dataclass

from django.conf import settings

from techissue.delivery.message import Envelope

log = logging.getLogger(__name__)

SEND_BUFFER_BYTES = 512 * 1024


@functools.cache
def tls_context() -> ssl.SSLContext:
    """Made once: loading the system's CA certificates takes tens of milliseconds, once per connection otherwise."""
    return ssl.create_default_context()


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
        connection: smtplib.SMTP
        if self.use_ssl:
            connection = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=tls_context())
        else:
            connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        assert connection.sock is not None  # connected by the constructor
        # The final dot is a small write after the body: without NODELAY, Nagle may hold it back.
        connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        # Room for a few whole messages, so that writing a body returns at once instead of waiting for the server
        # to read the previous one (the default starts at 16 KB, half a message).
        connection.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER_BYTES)
        connection.ehlo()
        if self.use_tls:
            connection.starttls(context=tls_context())
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


def safe_address(address: str) -> bool:
    """An address that cannot smuggle a command into the session (it goes into MAIL and RCPT verbatim)."""
    return bool(address) and address.isascii() and not any(character in address for character in "<>\r\n ")


def dot_stuffed(envelope: Envelope) -> bytes:
    """The message as DATA wants it, without the final dot: CRLF-ended, lines starting with a dot doubled.

    Messages from `MessageBuilder` come `dot_safe` and go as they are: smtplib's `data()` runs two regular
    expressions over every 30 KB message, and even a search for a line-starting dot costs more than a header.
    """
    data = envelope.data
    if envelope.dot_safe:
        return data
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    if data.startswith(b".") or b"\n." in data:
        data = smtplib._quote_periods(data)  # type: ignore[attr-defined]
    return data
