"""`techissue deliver`: send until no delivery is due; SIGTERM finishes what is in flight and hands the rest back."""

from __future__ import annotations

import signal
import threading
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection
from django.utils.translation import gettext as _

from techissue.delivery.engine import Engine, EngineConfig
from techissue.delivery.models import Delivery

DATABASE_PATIENCE_SECONDS = 60


class Command(BaseCommand):
    help = "Send due deliveries until none is left (several may run at once, on several hosts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int)
        parser.add_argument("--connections", type=int)
        parser.add_argument("--max-in-flight", type=int)
        parser.add_argument("--lease-seconds", type=int)
        parser.add_argument("--rate", type=float, dest="rate_per_second", help="messages per second (0: no limit)")
        parser.add_argument("--rate-per-domain", type=float)
        parser.add_argument("--retry-base-seconds", type=float)
        parser.add_argument(
            "--wait",
            action="store_true",
            help="also wait for deferred and leased rows instead of stopping when none is due",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        names = EngineConfig.__dataclass_fields__
        engine = Engine(EngineConfig.from_settings(**{name: options.get(name) for name in names}))
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        batches = 0
        failing_since: float | None = None
        try:
            while not stop.is_set():
                try:
                    if engine.tick(stop=stop):
                        batches += 1
                        failing_since = None
                        continue
                    open_rows = Delivery.objects.filter(
                        status__in=[Delivery.Status.PENDING, Delivery.Status.DEFERRED, Delivery.Status.SENDING],
                        edition__send__state="running",
                    )
                    if not options["wait"] or not open_rows.exists():
                        break
                    failing_since = None
                except DatabaseError as error:
                    # Terminated, restarted, cut: reconnect with patience, then give up loudly (non-zero exit).
                    failing_since = failing_since or time.monotonic()
                    if time.monotonic() - failing_since > DATABASE_PATIENCE_SECONDS:
                        raise CommandError(
                            f"the database has been unreachable for {DATABASE_PATIENCE_SECONDS} s: {error}"
                        ) from None
                    self.stderr.write(f"database error, reconnecting: {str(error).strip().splitlines()[0][:200]}")
                    connection.close()
                    stop.wait(1.0)
                    continue
                stop.wait(max(0.2, min(engine.paused_for(), 2.0)))
        finally:
            engine.close()
        self.stdout.write(_("%(batches)d batch(es) sent.") % {"batches": batches})
