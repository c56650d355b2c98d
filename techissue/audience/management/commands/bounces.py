"""`techissue bounces ingest`: apply DSN and complaint reports from standard input or the bounce mailbox."""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from techissue.audience.bounces import apply_report, mailbox_messages


class Command(BaseCommand):
    help = "Ingest bounce reports (RFC 3464 DSN, ARF complaints): one mail on standard input, or BOUNCE_MAILBOX_URL with --mailbox."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        ingest = actions.add_parser("ingest")
        ingest.add_argument("--mailbox", action="store_true", help="read BOUNCE_MAILBOX_URL (imap[s]:// or pop3[s]://)")

    def handle(self, *args: Any, **options: Any) -> None:
        found = 0
        if options["mailbox"]:
            url = getattr(settings, "BOUNCE_MAILBOX_URL", "")
            if not url:
                raise CommandError(_("BOUNCE_MAILBOX_URL is not set"))
            for raw, _handle in mailbox_messages(url):
                found += self.show(apply_report(raw))
        else:
            found += self.show(apply_report(sys.stdin.buffer.read()))
        self.stdout.write(_("%(count)d bounce(s) applied.") % {"count": found})

    def show(self, bounces: list[Any]) -> int:
        for bounce in bounces:
            kind = _("complaint") if bounce.complaint else _("hard") if bounce.hard else _("soft")
            self.stdout.write(f"{bounce.email}\t{kind}\t{bounce.reason}")
        return len(bounces)
