"""`techissue worker`: the background worker alone (tasks, scheduler, delivery); run as many as you like."""

from __future__ import annotations

import signal
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from techissue.ops.runner import Background


class Command(BaseCommand):
    help = "Run the background worker: queued tasks, the scheduler and delivery batches. Stops cleanly on SIGTERM."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="Only work; let another process schedule.",
        )
        parser.add_argument("--no-delivery", action="store_true", help="Do not send delivery batches.")

    def handle(self, *args: Any, **options: Any) -> None:
        background = Background(scheduler=not options["no_scheduler"], delivery=not options["no_delivery"])

        def stop(signum: int, frame: FrameType | None) -> None:
            self.stderr.write(f"{signal.Signals(signum).name}: finishing the current work, then stopping…")
            background.stop_event.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        background.start()
        self.stdout.write("techissue worker running; SIGTERM or Ctrl-C stops it.")
        background.wait()
        background.stop()
        self.stdout.write("techissue worker stopped.")
