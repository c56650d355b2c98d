"""`techissue feeds add|import|export|list`: the feeds the editor follows."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from techissue.console import console, styled, table
from techissue.sources.feeds import FeedError, add_feed, export_opml, feeds_as_json, import_opml, read_opml_source


class Command(BaseCommand):
    help = "Add, import, export and list the feeds the editor follows."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="add|import|export|list")
        add = sub.add_parser("add", help="Add a feed by its URL, or by a page that links to its feed.")
        add.add_argument("url")
        add.add_argument("--name", default="", help="The outlet's name (default: the feed's title).")
        add.add_argument(
            "--lang",
            default="",
            choices=["", "ko", "en"],
            help="The outlet's language.",
        )
        add.add_argument(
            "--weight",
            type=float,
            default=None,
            help="How much the editor trusts it (0.1–3).",
        )
        imp = sub.add_parser("import", help="Add every feed of an OPML file (a path or an http(s) URL).")
        imp.add_argument("source")
        sub.add_parser("export", help="Print every feed as OPML 2.0.")
        lst = sub.add_parser("list", help="List the feeds with their health.")
        lst.add_argument("--json", action="store_true", help="Machine-readable output.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"do_{options['action']}")(options)
        except FeedError as error:
            raise CommandError(str(error)) from None

    def do_add(self, options: dict[str, Any]) -> None:
        feed = add_feed(
            options["url"],
            name=options["name"],
            lang=options["lang"],
            weight=options["weight"],
        )
        self.stdout.write(f"feed {feed.id}: {feed.title or '(untitled)'} <{feed.url}>")

    def do_import(self, options: dict[str, Any]) -> None:
        report = import_opml(read_opml_source(options["source"]))
        for feed in report.added:
            self.stdout.write(f"added {feed.id}: {feed.title or feed.url}")
        for error in report.errors:
            self.stderr.write(f"skipped: {error}")
        self.stdout.write(
            f"{len(report.added)} added, {len(report.existing)} already there, {len(report.errors)} skipped"
        )

    def do_export(self, options: dict[str, Any]) -> None:
        sys.stdout.buffer.write(export_opml())
        sys.stdout.flush()

    def do_list(self, options: dict[str, Any]) -> None:
        rows = feeds_as_json()
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        rows_table = table("id", "status", "outlet", "articles", "next fetch", "last error")
        for row in rows:
            colour = {"ok": "green", "error": "red"}.get(str(row["status"]), "")
            rows_table.add_row(
                str(row["id"]),
                styled(str(row["status"]), colour),
                str(row["title"] or row["url"]),
                str(row["articles"]),
                str(row["next_fetch_at"] or "")[:16],
                str(row["last_error"] or ""),
            )
        console(self.stdout, width=160).print(rows_table)
