"""Build one subscriber's message as bytes: the edition's prepared parts, personal links and list headers."""

from __future__ import annotations

import base64
import secrets
import time
from dataclasses import dataclass
from email.header import Header
from email.utils import formataddr, formatdate, parseaddr
from typing import Protocol

from django.conf import settings

from techissue.audience.links import preferences_url, unsubscribe_mailto, unsubscribe_url
from techissue.audience.models import Subscriber
from techissue.delivery.dkimsign import DkimSigner


class PreparedParts(Protocol):
    """What `techissue.editions.render.prepare_email` returns: the edition rendered once."""

    browser_url: str

    def personalize(self, name: str, unsubscribe_url: str, preferences_url: str) -> tuple[str, str, str]: ...


@dataclass(frozen=True)
class Envelope:
    sender: str
    recipient: str
    data: bytes
    message_id: str


def encode_header(value: str) -> str:
    if value.isascii():
        return value
    return Header(value, "utf-8", maxlinelen=76).encode(linesep="\r\n")


def encode_body(text: str) -> bytes:
    # base64 of UTF-8 keeps Korean text safe on any relay; encodebytes wraps at 76 characters.
    return base64.encodebytes(text.encode("utf-8")).replace(b"\n", b"\r\n")


class MessageBuilder:
    """Fills one edition's prepared parts in for each subscriber; holds everything that is the same for all."""

    def __init__(self, signer: DkimSigner | None = None, from_header: str | None = None):
        name, address = parseaddr(from_header or settings.DEFAULT_FROM_EMAIL)
        self.sender = address or "newsletter@localhost"
        self.from_header = formataddr((name, self.sender), charset="utf-8")
        self.domain = settings.DKIM_DOMAIN or self.sender.rpartition("@")[2] or "localhost"
        self.list_id = f"techissue <techissue.{self.domain}>"
        self.signer = signer

    def build(self, prepared: PreparedParts, subscriber: Subscriber, edition_number: int) -> Envelope:
        unsubscribe = unsubscribe_url(subscriber)
        subject, text, html = prepared.personalize(subscriber.name, unsubscribe, preferences_url(subscriber))
        message_id = f"<{edition_number}.{subscriber.pk}.{secrets.token_hex(6)}@{self.domain}>"
        boundary = f"=_techissue_{secrets.token_hex(12)}"
        to_header = formataddr((subscriber.name, subscriber.email), charset="utf-8")
        headers = (
            f"From: {self.from_header}\r\n"
            f"To: {to_header}\r\n"
            f"Subject: {encode_header(subject)}\r\n"
            f"Date: {formatdate(time.time(), localtime=False)}\r\n"
            f"Message-ID: {message_id}\r\n"
            f"List-Id: {self.list_id}\r\n"
            f"List-Unsubscribe: <{unsubscribe}>,\r\n <{unsubscribe_mailto(subscriber)}>\r\n"
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
            f"List-Archive: <{prepared.browser_url}>\r\n"
            "Precedence: bulk\r\n"
            "MIME-Version: 1.0\r\n"
            f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n'
            "\r\n"
        )
        part = (
            f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        ).encode()
        html_part = (
            f"--{boundary}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        ).encode()
        data = b"".join(
            [
                headers.encode("ascii"),
                part,
                encode_body(text),
                html_part,
                encode_body(html),
                f"--{boundary}--\r\n".encode(),
            ]
        )
        if self.signer is not None:
            data = self.signer.signature_header(data) + data
        return Envelope(self.sender, subscriber.email, data, message_id)
