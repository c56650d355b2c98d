"""`techissue deliver`: send until no delivery is due; SIGTERM stops it after the current batch."""

from __future__ import annotations

import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from techissue.delivery.engine import Engine, EngineConfig
from techissue.delivery.models import Delivery


class Command(BaseCommand):
    help = "Send due deliveries until none is left (several may run at once, on several hosts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int)
        parser.add_argument("--connections", type=int)
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
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        batches = 0
        try:
            while not stopping:
                if engine.tick():
                    batches += 1
                    continue
                open_rows = Delivery.objects.filter(
                    status__in=[Delivery.Status.PENDING, Delivery.Status.DEFERRED, Delivery.Status.SENDING],
                    edition__send__state="running",
                )
                if not options["wait"] or not open_rows.exists():
                    break
                time.sleep(0.2)
        finally:
            engine.close()
        self.stdout.write(_("%(batches)d batch(es) sent.") % {"batches": batches})
