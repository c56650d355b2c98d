"""Bounces: read DSN (RFC 3464) and ARF complaint reports, and apply them to subscribers."""

from __future__ import annotations

import imaplib
import logging
import poplib
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import Message
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

from techissue.audience.subscribe import record_bounce

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Bounce:
    email: str
    hard: bool
    complaint: bool
    reason: str


def _address(value: str | None) -> str:
    """`rfc822; someone@example.com` → `someone@example.com`."""
    if not value:
        return ""
    return str(value).partition(";")[2].strip().strip("<>") if ";" in str(value) else str(value).strip().strip("<>")


def parse_report(raw: bytes) -> list[Bounce]:
    """The bounces and complaints one report mail tells of; [] when it is no DSN or ARF report."""
    message = message_from_bytes(raw, policy=policy.compat32)
    if message.get_content_type() != "multipart/report":
        return []
    report_type = str(message.get_param("report-type") or "").lower()
    if report_type == "delivery-status":
        return list(_dsn_bounces(message))
    if report_type == "feedback-report":
        return list(_arf_complaints(message))
    return []


def _dsn_bounces(message: Message) -> Iterator[Bounce]:
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks = part.get_payload()
        # The first block is about the message, the others each about one recipient.
        for block in blocks[1:] if isinstance(blocks, list) else []:
            assert isinstance(block, Message)  # a delivery-status payload is a list of header blocks
            action = str(block.get("Action", "")).strip().lower()
            status = str(block.get("Status", "")).strip()
            email = _address(block.get("Original-Recipient")) or _address(block.get("Final-Recipient"))
            if action != "failed" or not email:
                continue  # `delayed`, `delivered`, `relayed` and `expanded` are no bounces
            diagnostic = " ".join(str(block.get("Diagnostic-Code", "")).split())
            reason = f"{status} {diagnostic}".strip()
            yield Bounce(email, hard=status.startswith("5"), complaint=False, reason=reason)


def _arf_complaints(message: Message) -> Iterator[Bounce]:
    for part in message.walk():
        if part.get_content_type() == "message/feedback-report":
            fields = part.get_payload()
            block = fields[0] if isinstance(fields, list) and fields else part
            assert isinstance(block, Message)
            email = _address(block.get("Original-Rcpt-To"))
            if email:
                yield Bounce(
                    email, hard=True, complaint=True, reason=f"complaint: {block.get('Feedback-Type', 'abuse')}"
                )


def apply_report(raw: bytes) -> list[Bounce]:
    """Parse one report and suppress or count each address in it."""
    bounces = parse_report(raw)
    for bounce in bounces:
        record_bounce(bounce.email, hard=bounce.hard, reason=bounce.reason, complaint=bounce.complaint)
    return bounces


def mailbox_messages(url: str) -> Iterator[tuple[bytes, object]]:
    """Yield (raw message, handle to delete it) from `imap[s]://user:pass@host[:port]/FOLDER` or `pop3[s]://…`."""
    parts = urlsplit(url)
    user, password = unquote(parts.username or ""), unquote(parts.password or "")
    host = parts.hostname or "127.0.0.1"
    if parts.scheme in ("imap", "imaps"):
        imap = (
            imaplib.IMAP4_SSL(host, parts.port or 993)
            if parts.scheme == "imaps"
            else imaplib.IMAP4(host, parts.port or 143)
        )
        with imap:
            imap.login(user, password)
            imap.select(parts.path.strip("/") or "INBOX")
            _status, data = imap.search(None, "UNSEEN")
            for number in data[0].split():
                _status, fetched = imap.fetch(number, "(RFC822)")
                raw = fetched[0][1] if fetched and isinstance(fetched[0], tuple) else b""
                yield raw, number
                imap.store(number, "+FLAGS", "\\Seen")
        return
    if parts.scheme in ("pop3", "pop3s"):
        pop = (
            poplib.POP3_SSL(host, parts.port or 995)
            if parts.scheme == "pop3s"
            else poplib.POP3(host, parts.port or 110)
        )
        try:
            pop.user(user)
            pop.pass_(password)
            count, _size = pop.stat()
            for number in range(1, count + 1):
                _response, lines, _octets = pop.retr(number)
                yield b"\r\n".join(lines), number
                pop.dele(number)  # only after the report was applied: a crash leaves it for next time
        finally:
            pop.quit()
        return
    raise ImproperlyConfigured(f"BOUNCE_MAILBOX_URL must be imap://, imaps://, pop3:// or pop3s://, not {url!r}")
