"""`techissue subscribers import FILE.csv | export | list`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from techissue.audience.imports import export_rows, import_bytes
from techissue.audience.models import Subscriber


class Command(BaseCommand):
    help = (
        "Import subscribers from CSV (columns: email, name, language, status, consent_at), export them, or list them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        importing = actions.add_parser("import", help="import a CSV file ('-' for standard input)")
        importing.add_argument("file")
        actions.add_parser("export", help="write every subscriber as CSV to standard output")
        listing = actions.add_parser("list", help="show subscribers")
        listing.add_argument("--status", choices=Subscriber.Status.values)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self.import_file(options["file"])
        elif options["action"] == "export":
            export_rows(cast(IO[str], self.stdout))
        else:
            rows = Subscriber.objects.order_by("email")
            if options.get("status"):
                rows = rows.filter(status=options["status"])
            for subscriber in rows.iterator():
                self.stdout.write(f"{subscriber.email}\t{subscriber.status}\t{subscriber.language}\t{subscriber.name}")

    def import_file(self, path: str) -> None:
        try:
            data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        except OSError as error:
            raise CommandError(_("cannot read %(path)s: %(error)s") % {"path": path, "error": error}) from None
        report = import_bytes(data)
        if report.encoding:
            self.stdout.write(_("read as %(encoding)s") % {"encoding": report.encoding})
        for line, reason in report.errors:
            self.stderr.write(_("line %(line)d: %(reason)s") % {"line": line, "reason": reason})
        self.stdout.write(
            _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged, %(errors)d bad row(s).")
            % {
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "errors": len(report.errors),
            }
        )
        if report.errors:
            raise SystemExit(1)
