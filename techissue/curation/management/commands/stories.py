"""`techissue stories [--json] [--limit N]`: the ranked stories with the parts of their scores."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from techissue.console import console, table
from techissue.curation.desk import stories_as_json

PARTS = ["coverage", "velocity", "outlet", "recency", "novelty", "taste"]


class Command(BaseCommand):
    help = "List the ranked stories, best first, with the parts of each score."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Machine-readable output (shape in DESIGN.md).")
        parser.add_argument("--limit", type=int, default=20, help="How many stories (default 20).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["limit"] < 1:
            raise CommandError("--limit must be at least 1")
        data = stories_as_json(options["limit"])
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        rows_table = table("#", "score", *PARTS, "lang", "outlets", "title")
        for story in data["stories"]:  # type: ignore[attr-defined]
            parts = story["score_parts"] or {}
            outlets = len({a["outlet"] for a in story["articles"] if not a["duplicate_of"]})
            rows_table.add_row(
                str(story["rank"]),
                f"{story['score']:.4f}",
                *(f"{parts.get(name, 0):.2f}" for name in PARTS),
                ",".join(story["languages"]),
                str(outlets),
                story["title"],
            )
        console(self.stdout, width=200).print(rows_table)
