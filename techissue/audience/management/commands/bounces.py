"""`techissue bounces ingest`: apply DSN and complaint reports from standard input or the bounce mailbox."""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from techissue.audience.bounces import apply_report, mailbox_messages
from techissue.delivery.returns import unmatched_reports


class Command(BaseCommand):
    help = (
        "Ingest bounce reports (RFC 3464 DSN, ARF complaints) and List-Unsubscribe mails: one mail on standard "
        "input, or BOUNCE_MAILBOX_URL with --mailbox. Only reports about a message we sent change anyone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        ingest = actions.add_parser("ingest")
        ingest.add_argument("--mailbox", action="store_true", help="read BOUNCE_MAILBOX_URL (imap[s]:// or pop3[s]://)")

    def handle(self, *args: Any, **options: Any) -> None:
        found = 0
        since = unmatched_reports().count()
        if options["mailbox"]:
            url = getattr(settings, "BOUNCE_MAILBOX_URL", "")
            if not url:
                raise CommandError(_("BOUNCE_MAILBOX_URL is not set"))
            for raw, _handle in mailbox_messages(url):
                found += self.show(apply_report(raw, source="mailbox"))
        else:
            found += self.show(apply_report(sys.stdin.buffer.read(), source="stdin"))
        self.stdout.write(_("%(count)d bounce(s) applied.") % {"count": found})
        ignored = unmatched_reports().count() - since
        if ignored:
            self.stdout.write(
                _("%(count)d report(s) matched no message we sent and changed nobody (see Returned reports).")
                % {"count": ignored}
            )

    def show(self, bounces: list[Any]) -> int:
        for bounce in bounces:
            kind = (
                _("unsubscribe")
                if bounce.unsubscribe
                else _("complaint")
                if bounce.complaint
                else _("hard")
                if bounce.hard
                else _("soft")
            )
            self.stdout.write(f"{bounce.email}\t{kind}\t{bounce.reason}")
        return len(bounces)
