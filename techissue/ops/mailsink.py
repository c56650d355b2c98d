"""A local SMTP sink for the demo: aiosmtpd on loopback, every mail kept in a Maildir you can open."""

from __future__ import annotations

import mailbox
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox


class MailSink:
    """Accepts every mail on 127.0.0.1:`port` and stores it in the Maildir at `path`; `with` stops it."""

    def __init__(self, path: Path, port: int = 8025):
        self.path = path
        mailbox.Maildir(str(path), create=True)  # tmp/, new/ and cur/
        self.controller = Controller(Mailbox(path), hostname="127.0.0.1", port=port)

    @property
    def port(self) -> int:
        return int(self.controller.port)

    def start(self) -> MailSink:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def count(self) -> int:
        return len(mailbox.Maildir(str(self.path), create=False))

    def __enter__(self) -> MailSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
