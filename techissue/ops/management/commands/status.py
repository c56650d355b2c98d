"""`techissue status`: workers and their loops, the task queue, deliveries, the last fetch and curation, the next edition."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from techissue.ops.observe import snapshot


def _pairs(values: dict[str, int]) -> str:
    return ", ".join(f"{key} {value}" for key, value in values.items()) or "none"


class Command(BaseCommand):
    help = "Show each worker's heartbeat and loops, queue depth, deliveries by status, last fetch and curate, next edition."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print the same as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        data = snapshot()
        if options["json"]:
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
            return
        write = self.stdout.write
        write(f"workers: {len(data['workers'])}")
        for worker in data["workers"]:
            state = "alive" if worker["alive"] else "LOST"
            write(
                f"  {worker['worker']}  {state}, seen {worker['seen_seconds_ago']:.0f} s ago, "
                f"roles {','.join(worker['roles'])}"
                + (f", running task {worker['running_task']}" if worker["running_task"] else "")
            )
            for name, loop in worker["loops"].items():
                error = f": {loop['error']}" if loop.get("error") else ""
                write(f"    {name:10} {loop.get('state')} since {loop.get('since')}{error}")
        tasks = data["tasks"]
        write(
            f"tasks: waiting {_pairs(tasks['waiting'])}; running {tasks['running']}; "
            f"failed in the last day {tasks['failed_last_day']}"
        )
        write(f"deliveries: {_pairs(data['deliveries'])}; sent in the last minute {data['sent_last_minute']}")
        write(f"feeds: {_pairs(data['feeds'])}; last fetch {data['last_fetch_at'] or 'never'}")
        curation = data["last_curation"]
        write(
            f"last curation: {curation['finished_at']} ({curation['seconds']:.1f} s, {curation['new']} new articles)"
            if curation
            else "last curation: none recorded"
        )
        edition = data["next_edition"]
        write(
            f"next edition: #{edition['number']} {edition['title']!r} at {edition['scheduled_at']}"
            if edition
            else "next edition: none scheduled"
        )
