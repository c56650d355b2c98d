"""`techissue worker`: the background worker alone (tasks, fetch, curate, deliver, scheduler); run as many as you like."""

from __future__ import annotations

import signal
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from techissue.ops.runner import ROLES, Background, parse_roles

# The exit status when a loop gave up: systemd's Restart=on-failure (or any supervisor) restarts the worker.
EXIT_GAVE_UP = 3


class Command(BaseCommand):
    help = (
        "Run the background worker: queued tasks, fetching, curation, delivery batches and the scheduler. "
        "Stops cleanly on SIGTERM; exits non-zero when a loop cannot recover."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--only",
            action="append",
            metavar="ROLES",
            help=f"Take on only these roles ({', '.join(ROLES)}); comma-separated or repeated. Default: all.",
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="Do not schedule periodic work (any number of workers may; each period runs once).",
        )
        parser.add_argument("--no-delivery", action="store_true", help="Do not send delivery batches.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            roles = parse_roles(",".join(options["only"] or []))
        except ValueError as error:
            raise CommandError(str(error)) from None
        if options["no_delivery"]:
            roles = [role for role in roles if role != "deliver"]
        background = Background(roles=roles, scheduler=not options["no_scheduler"])

        def stop(signum: int, frame: FrameType | None) -> None:
            self.stderr.write(f"{signal.Signals(signum).name}: finishing the current work, then stopping…")
            background.stop_event.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        background.start()
        self.stdout.write(f"techissue worker running ({', '.join(roles)}); SIGTERM or Ctrl-C stops it.")
        background.wait()
        background.stop()
        if background.fatal:
            self.stderr.write(f"techissue worker gave up: {background.fatal}")
            raise SystemExit(EXIT_GAVE_UP)
        self.stdout.write("techissue worker stopped.")
