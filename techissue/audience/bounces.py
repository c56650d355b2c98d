"""Bounces: read DSN (RFC 3464), ARF complaint and List-Unsubscribe mails, and apply those about a message we sent.

A report changes a subscriber only when it matches a delivery (see `techissue.delivery.returns`): the signed
return address we sent from, or the Message-ID we sent with. It then counts for that delivery's recipient
alone, whatever addresses it names. Every report, matched or not, is written down (*Returned reports*).
"""

from __future__ import annotations

import imaplib
import logging
import poplib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, message_from_string, policy
from email.message import Message
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

from techissue.audience.subscribe import record_bounce, unsubscribe
from techissue.audience.tokens import LINK_MAX_AGE, read_token
from techissue.delivery import returns

log = logging.getLogger(__name__)

# Where the address a DSN was sent to shows up: the report's own envelope headers.
ENVELOPE_HEADERS = ("To", "Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To")
UNSUBSCRIBE_SUBJECT = re.compile(r"\bunsubscribe-([A-Za-z0-9_\-:]{10,200})")


@dataclass(frozen=True)
class Bounce:
    email: str
    hard: bool
    complaint: bool
    reason: str
    unsubscribe: bool = False


@dataclass
class Report:
    """What one mail in the bounce mailbox says, before it is matched to a delivery."""

    kind: str  # "bounce", "complaint", "unsubscribe", or "" for mail that is none of these
    bounces: list[Bounce] = field(default_factory=list)
    return_headers: str = ""  # text where our signed return address may appear
    message_ids: list[str] = field(default_factory=list)  # Message-IDs of the returned original
    unsubscribe_token: str = ""


def _address(value: str | None) -> str:
    """`rfc822; someone@example.com` → `someone@example.com`."""
    if not value:
        return ""
    return str(value).partition(";")[2].strip().strip("<>") if ";" in str(value) else str(value).strip().strip("<>")


def parse_report(raw: bytes) -> list[Bounce]:
    """The bounces and complaints one report mail tells of; [] when it is no DSN or ARF report."""
    return read_report(raw).bounces


def read_report(raw: bytes) -> Report:
    message = message_from_bytes(raw, policy=policy.compat32)
    envelope = "\n".join(f"{name}: {value}" for name in ENVELOPE_HEADERS for value in message.get_all(name) or [])
    if message.get_content_type() == "multipart/report":
        report_type = str(message.get_param("report-type") or "").lower()
        if report_type in ("delivery-status", "feedback-report"):
            original = _returned_headers(message)
            returned = "\n".join(str(value) for value in original.get_all("Return-Path") or [])
            complaint = report_type == "feedback-report"
            return Report(
                kind="complaint" if complaint else "bounce",
                bounces=list(_arf_complaints(message) if complaint else _dsn_bounces(message)),
                return_headers=f"{envelope}\n{returned}",
                message_ids=[str(value) for value in original.get_all("Message-ID") or []],
            )
    found = UNSUBSCRIBE_SUBJECT.search(str(message.get("Subject", "")))
    if found:
        return Report(kind="unsubscribe", unsubscribe_token=found.group(1), return_headers=envelope)
    return Report(kind="")


def _returned_headers(message: Message) -> Message:
    """The headers of the original message a report returns (text/rfc822-headers or message/rfc822)."""
    for part in message.walk():
        content_type = part.get_content_type()
        if content_type in ("text/rfc822-headers", "text/rfc822-header", "message/global-headers"):
            payload = part.get_payload(decode=True)
            text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(part.get_payload())
            return message_from_string(text.lstrip(), policy=policy.compat32)
        if content_type == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                return inner[0]
    return Message()


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


def match_report(report: Report) -> returns.Match:
    """The delivery a bounce or complaint is about: by our signed return address, else by our Message-ID."""
    named = returns.deliveries_named_in(report.return_headers)
    if named:
        return returns.Match(named[0], named[0].subscriber, "return path")
    for message_id in report.message_ids:
        delivery = returns.delivery_with_message_id(message_id)
        if delivery is not None:
            return returns.Match(delivery, delivery.subscriber, "message id")
    return returns.Match(None, None, "no signed return address and no Message-ID of a message we sent")


def apply_report(raw: bytes, source: str = "stdin") -> list[Bounce]:
    """Apply one mail from the bounce mailbox to the one reader it is about; [] when it changes nobody.

    1. Read it: a DSN, an ARF complaint, an unsubscribe request sent to the List-Unsubscribe mailto,
       or anything else (ignored, not written down: bounce mailboxes get spam too).
    2. Match it: a report to a sent delivery, an unsubscribe request to a valid unsubscribe token.
    3. Apply it to the matched reader only, and write the report down, matched or not.
    """
    report = read_report(raw)
    if not report.kind:
        return []
    if report.kind == "unsubscribe":
        return _apply_unsubscribe(report, source)
    match = match_report(report)
    named = [bounce.email for bounce in report.bounces]
    if match.subscriber is None:
        log.warning("a %s report from %s matched no message we sent (naming %s): ignored", report.kind, source, named)
        returns.record_report(source, report.kind, match, named, "ignored")
        return []
    if not report.bounces:
        returns.record_report(source, report.kind, match, named, "no failure in it")
        return []
    subscriber = match.subscriber
    # The match vouches for the recipient; the address in the report may be a forward of it.
    said = next((b for b in report.bounces if b.email.lower() == subscriber.email.lower()), report.bounces[0])
    bounce = Bounce(subscriber.email, hard=said.hard, complaint=said.complaint, reason=said.reason)
    record_bounce(subscriber.email, hard=bounce.hard, reason=bounce.reason, complaint=bounce.complaint)
    outcome = "complaint" if bounce.complaint else "hard bounce" if bounce.hard else "soft bounce"
    returns.record_report(source, report.kind, match, named, outcome, bounce.reason)
    return [bounce]


def _apply_unsubscribe(report: Report, source: str) -> list[Bounce]:
    """A mail to the List-Unsubscribe mailto: its subject carries the reader's signed unsubscribe token."""
    subscriber = read_token(report.unsubscribe_token, "unsubscribe", LINK_MAX_AGE)
    if subscriber is None:
        log.warning("an unsubscribe mail from %s carried no valid token: ignored", source)
        returns.record_report(
            source, "unsubscribe", returns.Match(None, None, "no valid unsubscribe token"), [], "ignored"
        )
        return []
    unsubscribe(subscriber)
    match = returns.Match(None, subscriber, "unsubscribe token")
    returns.record_report(source, "unsubscribe", match, [subscriber.email], "unsubscribed")
    return [Bounce(subscriber.email, hard=False, complaint=False, reason="unsubscribed by mail", unsubscribe=True)]


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
