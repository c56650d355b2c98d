"""Subscribe-form timing by address state: the queued path against the old in-request mail, in the same run.

A fresh SQLite database, a real SMTP server (aiosmtpd) on loopback that takes `--smtp-delay` seconds to
accept each mail (a relay is never instant), and Django's test client posting the real form.
1. baseline (the old behaviour): the view's work done in the request, mail included (`request_subscription`);
2. now: the form as it is, which only queues the request (`queue_subscription_request` via POST /subscribe/).
Prints, for each, the median time for a new address and for a known (active) one, and their ratio: the
ratio is what an enumerating attacker measures; 1.00 means the time says nothing.
Run: `.venv/bin/python -m bench.subscribe_timing [--requests 60 --smtp-delay 0.05]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SlowSink:
    """Accepts every mail after `delay` seconds, as a relay over the network would."""

    def __init__(self, delay: float):
        self.delay = delay
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(self.delay)
        self.count += 1
        return "250 OK"


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60, help="requests per address kind and path")
    parser.add_argument("--smtp-delay", type=float, default=0.05, help="seconds the SMTP server takes per mail")
    args = parser.parse_args()

    from aiosmtpd.controller import Controller

    sink = SlowSink(args.smtp_delay)
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    data_dir = Path(tempfile.mkdtemp(prefix="techissue-bench-subscribe-"))
    os.environ.update(
        {
            "TECHISSUE_DATA_DIR": str(data_dir),
            "TECHISSUE_ENV_FILE": os.devnull,
            "DJANGO_SETTINGS_MODULE": "techissue.settings",
            "EMAIL_URL": f"smtp://127.0.0.1:{controller.port}",
            "SITE_URL": "http://127.0.0.1:8000",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "LOG_LEVEL": "ERROR",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from techissue.audience.models import Subscriber
    from techissue.audience.subscribe import request_subscription

    call_command("migrate", verbosity=0)
    n = args.requests
    Subscriber.objects.bulk_create(Subscriber(email=f"known{i}@example.test", status="active") for i in range(2 * n))

    def timed(call: Any) -> float:
        start = time.perf_counter()
        call()
        return time.perf_counter() - start

    # 1. The old path: the whole request_subscription (look-up, write, SMTP) while the reader waits.
    old_new, old_known = [], []
    for i in range(n):
        old_new.append(timed(lambda i=i: request_subscription(f"old-new{i}@example.test", ip="10.0.0.1")))
        old_known.append(timed(lambda i=i: request_subscription(f"known{i}@example.test", ip="10.0.0.1")))
    # 2. The form as it is now, over Django's full request path (middleware, CSRF off in the test client).
    client = Client(HTTP_HOST="127.0.0.1")
    assert client.post("/subscribe/", {"email": "warm-up@example.test"}, REMOTE_ADDR="10.255.0.1").status_code == 200
    now_new, now_known = [], []
    for i in range(n):
        ip = f"10.{i // 250}.{i % 250}.1"  # a fresh client address each time: the per-IP limit is not measured
        pair = [
            (now_new, f"now-new{i}@example.test"),
            (now_known, f"known{n + i}@example.test"),
        ]
        for samples, email in pair if i % 2 else reversed(pair):  # alternate the order: no position effect
            samples.append(
                timed(lambda email=email, ip=ip: client.post("/subscribe/", {"email": email}, REMOTE_ADDR=ip))
            )
    controller.stop()

    print(f"{n} requests per kind; SMTP server {args.smtp_delay * 1000:.0f} ms per mail; SQLite (WAL) in {data_dir}")
    print("path                                   new address   known address   new / known")
    for label, new, known in [
        ("baseline: mail sent in the request", old_new, old_known),
        ("now: POST /subscribe/ queues a task", now_new, now_known),
    ]:
        print(
            f"{label:38} {median_ms(new):8.2f} ms   {median_ms(known):8.2f} ms      {median_ms(new) / median_ms(known):6.2f}"
        )
    print(f"mails sent during the requests: {sink.count} (baseline {n}, now 0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
