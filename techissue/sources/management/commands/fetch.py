"""`techissue fetch`: fetch every due feed concurrently, with a progress bar, then print a summary."""

from __future__ import annotations

from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

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
        console = Console(file=cast(IO[str], self.stdout), width=120)
        ids = list(Feed.objects.filter(active=True).values_list("id", flat=True)) if options["all"] else None
        feeds = claim_due_feeds(feed_ids=ids)
        if not feeds:
            console.print("No feed is due. (Use --all to fetch every feed now.)")
            return
        with Progress(
            TextColumn("[bold]fetching"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[last]}"),
            console=console,
            disable=options["quiet"],
            transient=True,
        ) as progress:
            bar = progress.add_task("feeds", total=len(feeds), last="")

            def done(feed: Feed, outcome: FeedOutcome) -> None:
                progress.update(bar, advance=1, last=feed.title or feed.url)

            summary = fetch_feeds(feeds, on_feed_done=done)

        table = Table(title="fetch summary", show_header=False)
        table.add_row("feeds ok", str(summary.feeds_ok))
        table.add_row("feeds unchanged (304)", str(summary.feeds_unchanged))
        table.add_row("feeds failed", str(summary.feeds_failed))
        table.add_row("new articles", str(summary.new_articles))
        table.add_row("seen again", str(summary.seen_again))
        table.add_row("time", f"{summary.seconds:.1f} s")
        console.print(table)
        for feed, error in summary.failures:
            console.print(f"[red]failed[/] {feed.title or feed.url}: {error}")
