"""A real SMTP server on loopback for the delivery tests (aiosmtpd), with scriptable replies."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Received:
    recipient: str
    data: bytes
    sender: str = ""  # the envelope sender (MAIL FROM)

    @property
    def message(self) -> Message:
        return message_from_bytes(self.data)


@dataclass
class Recorder:
    """Keeps what it accepted; `reply_for(recipient, attempt)` may answer a 4xx/5xx line instead of 250."""

    reply_for: Callable[[str, int], str | None] = lambda recipient, attempt: None
    # Like Postfix, say PIPELINING (aiosmtpd reads pipelined commands in order but does not say so itself).
    pipelining: bool = True
    received: list[Received] = field(default_factory=list)
    attempts: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        if self.pipelining:
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        with self.lock:
            attempt = self.attempts[address] = self.attempts.get(address, 0) + 1
        reply = self.reply_for(address, attempt)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            for recipient in envelope.rcpt_tos:
                data = bytes(envelope.original_content or envelope.content)
                self.received.append(Received(recipient, data, str(envelope.mail_from or "")))
        return "250 Message accepted"

    def recipients(self) -> list[str]:
        with self.lock:
            return [item.recipient for item in self.received]


class SmtpServer:
    def __init__(self, recorder: Recorder | None = None, port: int | None = None):
        self.recorder = recorder or Recorder()
        self.port = port or free_port()
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port, decode_data=False)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
