"""`techissue curate`: deduplicate, cluster into stories, rank and summarise (incremental; --rebuild from scratch)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from techissue.curation.services import curate


class Command(BaseCommand):
    help = "Find copies, group new articles into stories, then rank and summarise the stories."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rebuild", action="store_true", help="Cluster every article again (the editor's decisions stay)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = curate(rebuild=options["rebuild"])
        self.stdout.write(
            f"{report.new_articles} articles curated: {report.copies} copies, {report.new_stories} new stories, "
            f"{report.joined} joined existing stories; {report.rescored} stories ranked and summarised "
            f"in {report.seconds:.1f} s"
        )
        if options["verbosity"] > 1:
            parts = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in report.timings.items())
            self.stdout.write(f"time spent: {parts}")
