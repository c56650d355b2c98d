"""Build one subscriber's message as bytes: an edition's byte template, filled with the reader's name and links.

Everything that is the same for every reader (From, Subject, List-Id, the MIME boundary, the link prefixes) is
encoded once per edition in `MessageTemplate`; per reader only the To, Date, Message-ID and List-Unsubscribe
headers and the two base64 bodies are made, with string joins and C-level base64 (no `email.message`).
"""

from __future__ import annotations

import binascii
import secrets
import time
from dataclasses import dataclass
from email.header import Header
from email.utils import formataddr, formatdate, parseaddr
from typing import Protocol

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac

from techissue.audience.links import absolute, unsubscribe_mailto
from techissue.audience.models import Subscriber
from techissue.audience.tokens import make_token
from techissue.delivery.dkimsign import DkimSigner
from techissue.delivery.returns import envelope_sender_for

BASE64_LINE = 76
# 45 bytes of UTF-8 make 60 characters of base64: an encoded word stays under RFC 2047's 75 characters.
ENCODED_WORD_BYTES = 45


class PreparedParts(Protocol):
    """What `techissue.editions.render.prepare_email` returns: the edition rendered once."""

    edition_id: int
    browser_url: str
    subject: str

    def personalize(self, name: str, unsubscribe_url: str, preferences_url: str) -> tuple[str, str, str]: ...


@dataclass(frozen=True)
class Envelope:
    sender: str
    recipient: str
    data: bytes
    message_id: str
    # True when no line of `data` starts with a dot and it ends with CRLF, so DATA can take it as it is.
    dot_safe: bool = False


def encode_header(value: str) -> str:
    if value.isascii():
        return value
    return Header(value, "utf-8", maxlinelen=76).encode(linesep="\r\n")


def encode_body(text: str) -> bytes:
    """Base64 of UTF-8 in CRLF lines of 76 characters (Korean text stays safe on any relay)."""
    encoded = binascii.b2a_base64(text.encode("utf-8"), newline=False)
    # One C call for the whole body and slices for the lines: base64.encodebytes loops in Python per 57 bytes.
    lines = [encoded[start : start + BASE64_LINE] for start in range(0, len(encoded), BASE64_LINE)]
    lines.append(b"")
    return b"\r\n".join(lines)


def encode_words(text: str) -> str:
    """RFC 2047 base64 encoded words, folded one per line, never splitting a character."""
    words: list[str] = []
    chunk = bytearray()
    for character in text:
        raw = character.encode("utf-8")
        if len(chunk) + len(raw) > ENCODED_WORD_BYTES:
            words.append(f"=?utf-8?b?{binascii.b2a_base64(bytes(chunk), newline=False).decode()}?=")
            chunk.clear()
        chunk += raw
    if chunk:
        words.append(f"=?utf-8?b?{binascii.b2a_base64(bytes(chunk), newline=False).decode()}?=")
    return "\r\n ".join(words)


def address_header(name: str, address: str) -> str:
    """`Name <address>` for a To header; the name on one line, encoded when it is not ASCII."""
    name = " ".join(name.split())[:100]
    if not name:
        return address
    if name.isascii():
        return formataddr((name, address))
    return f"{encode_words(name)} <{address}>"


def reply_to_header() -> str:
    """The `Reply-To: …` line (with its CRLF) from TECHISSUE_REPLY_TO, or "" when replies go to the From."""
    name, address = parseaddr(" ".join(settings.TECHISSUE_REPLY_TO.split()))
    if "@" not in address:
        return ""
    return f"Reply-To: {address_header(name, address)}\r\n"


class DateHeader:
    """`formatdate` costs more than the rest of the headers: the Date is the same for a whole second."""

    def __init__(self) -> None:
        self.second = -1
        self.value = ""

    def now(self) -> str:
        second = int(time.time())
        if second != self.second:
            self.second, self.value = second, formatdate(second, localtime=False)
        return self.value


def mailto_affixes() -> tuple[str, str] | None:
    """The unsubscribe mailto around its token, taken from the audience module so that both stay the same.

    None when no mailto is advertised (nothing reads that mailbox).
    """
    placeholder = Subscriber(pk=0, token_version=0)
    for _attempt in range(3):  # the token carries a timestamp: retry when the second changed in between
        token = make_token(placeholder, "unsubscribe")
        mailto = unsubscribe_mailto(placeholder)
        if not mailto:
            return None
        before, found, after = mailto.partition(token)
        if found:
            return before, after
    raise RuntimeError("cannot find the token in the unsubscribe mailto")


def url_affixes(view: str) -> tuple[str, str]:
    """The absolute URL of an audience view around its token argument."""
    placeholder = "TECHISSUETOKENPLACEHOLDER"
    before, _, after = absolute(reverse(view, args=[placeholder])).partition(placeholder)
    return before, after


class MessageTemplate:
    """One edition's message with holes for the reader: built once, filled in for each subscriber."""

    def __init__(self, prepared: PreparedParts, edition_number: int, builder: MessageBuilder):
        self.prepared = prepared
        self.edition_number = edition_number
        self.builder = builder
        domain = builder.domain
        # Base64 bodies never hold "=_", so one boundary serves every reader of the edition.
        boundary = f"=_techissue_{secrets.token_hex(12)}"
        self.unsubscribe = url_affixes("audience:unsubscribe")
        self.preferences = url_affixes("audience:preferences")
        self.mailto = mailto_affixes()
        self.message_id_prefix = f"<{edition_number}."
        self.message_id_suffix = f"@{domain}>"
        self.top = f"From: {builder.from_header}\r\nTo: "
        self.middle = (
            f"\r\nSubject: {encode_header(' '.join(prepared.subject.split()))}\r\n"
            f"{builder.reply_to}"
            f"List-Id: {builder.list_id}\r\n"
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
            f"List-Archive: <{prepared.browser_url}>\r\n"
            "Precedence: bulk\r\n"
            "MIME-Version: 1.0\r\n"
            f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n'
            "\r\n"
        ).encode("ascii")
        self.text_part = (
            f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        ).encode("ascii")
        self.html_part = (
            f"--{boundary}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        ).encode("ascii")
        self.end = f"--{boundary}--\r\n".encode("ascii")

    def message_id_tag(self, subscriber_id: int) -> str:
        """The same for every attempt at one (edition, reader): a repeat collapses in mailboxes that dedupe by it."""
        return salted_hmac("techissue.delivery.message-id", f"{self.edition_number}.{subscriber_id}").hexdigest()[:12]

    def fill(self, subscriber: Subscriber) -> Envelope:
        """This reader's message: the only work per reader is two tokens, two base64 bodies and a few headers."""
        unsubscribe_token = make_token(subscriber, "unsubscribe")
        unsubscribe = f"{self.unsubscribe[0]}{unsubscribe_token}{self.unsubscribe[1]}"
        preferences = f"{self.preferences[0]}{make_token(subscriber, 'preferences')}{self.preferences[1]}"
        mailto = f",\r\n <{self.mailto[0]}{unsubscribe_token}{self.mailto[1]}>" if self.mailto else ""
        _subject, text, html = self.prepared.personalize(subscriber.name, unsubscribe, preferences)
        message_id = (
            f"{self.message_id_prefix}{subscriber.pk}.{self.message_id_tag(subscriber.pk)}{self.message_id_suffix}"
        )
        headers = (
            f"{self.top}{address_header(subscriber.name, subscriber.email)}\r\n"
            f"Date: {self.builder.date.now()}\r\n"
            f"Message-ID: {message_id}\r\n"
            f"List-Unsubscribe: <{unsubscribe}>{mailto}"
        ).encode("ascii")
        data = b"".join(
            [headers, self.middle, self.text_part, encode_body(text), self.html_part, encode_body(html), self.end]
        )
        if self.builder.signer is not None:
            data = self.builder.signer.signature_header(data) + data
        # Base64 lines, our own header lines and folded lines (which start with a space) never start with a dot.
        # The envelope sender is this delivery's signed return address: its bounces can name no one else.
        sender = envelope_sender_for(self.prepared.edition_id, subscriber.pk)
        return Envelope(sender, subscriber.email, data, message_id, dot_safe=True)


class MessageBuilder:
    """Holds everything that is the same for all editions, and the templates of the editions being sent."""

    def __init__(self, signer: DkimSigner | None = None, from_header: str | None = None):
        name, address = parseaddr(from_header or settings.DEFAULT_FROM_EMAIL)
        self.sender = address or "newsletter@localhost"
        self.from_header = formataddr((name, self.sender), charset="utf-8")
        self.domain = settings.DKIM_DOMAIN or self.sender.rpartition("@")[2] or "localhost"
        self.list_id = f"techissue <techissue.{self.domain}>"
        self.reply_to = reply_to_header()
        self.signer = signer
        self.date = DateHeader()
        self.templates: dict[tuple[int, int], MessageTemplate] = {}

    def template(self, prepared: PreparedParts, edition_number: int) -> MessageTemplate:
        """The template for these prepared parts (kept while they are the edition's current rendering)."""
        key = (id(prepared), edition_number)
        template = self.templates.get(key)
        if template is None or template.prepared is not prepared:
            if len(self.templates) >= 8:
                self.templates.clear()
            template = self.templates[key] = MessageTemplate(prepared, edition_number, self)
        return template

    def build(self, prepared: PreparedParts, subscriber: Subscriber, edition_number: int) -> Envelope:
        return self.template(prepared, edition_number).fill(subscriber)
