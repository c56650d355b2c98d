"""`techissue fetch`: fetch every due feed concurrently, with a progress bar, then print a summary."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from techissue.console import console, outside, table
from techissue.sources.claiming import claim_due_feeds
from techissue.sources.collect import FeedOutcome
from techissue.sources.models import Feed
from techissue.sources.services import fetch_feeds


class Command(BaseCommand):
    help = "Fetch every feed that is due (or all with --all) and store new articles."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="Fetch every active feed, due or not.")
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        out = console(self.stdout, width=120)
        ids = list(Feed.objects.filter(active=True).values_list("id", flat=True)) if options["all"] else None
        feeds = claim_due_feeds(feed_ids=ids)
        if not feeds:
            out.print("No feed is due. (Use --all to fetch every feed now.)")
            return
        with Progress(
            TextColumn("[bold]fetching"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[last]}", markup=False),
            console=out,
            disable=options["quiet"],
            transient=True,
        ) as progress:
            bar = progress.add_task("feeds", total=len(feeds), last="")

            def done(feed: Feed, outcome: FeedOutcome) -> None:
                progress.update(bar, advance=1, last=feed.title or feed.url)

            summary = fetch_feeds(feeds, on_feed_done=done)

        summary_table = table(title="fetch summary", show_header=False)
        summary_table.add_row("feeds ok", str(summary.feeds_ok))
        summary_table.add_row("feeds unchanged (304)", str(summary.feeds_unchanged))
        summary_table.add_row("feeds failed", str(summary.feeds_failed))
        summary_table.add_row("new articles", str(summary.new_articles))
        summary_table.add_row("seen again", str(summary.seen_again))
        summary_table.add_row("time", f"{summary.seconds:.1f} s")
        out.print(summary_table)
        for feed, error in summary.failures:
            out.print(f"[red]failed[/] {outside(feed.title or feed.url)}: {outside(error)}")
