"""Scale on PostgreSQL: importing 100,000 readers, delivery with 1 and 3 workers into a slow relay, a delivery worker's RSS.

    .venv/bin/python -m bench.scale [--database-url postgres://postgres@127.0.0.1:5432/h_ops_scale]
                                    [--readers 100000] [--messages 3000] [--relay-ms 20]

Each figure is printed with its goal and, where one exists, the baseline measured in the same run:
- the import next to a bare `bulk_create` of the same rows (no parsing, checks or lookups);
- the per-row cost at 100k next to the per-row cost at 10k (flat means a ratio near 1);
- 3 workers next to 1 worker, into an SMTP relay that waits `--relay-ms` before each reply.
The database named in the URL is dropped and created again: never point it at real data.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith(("h_", "bench")):
        raise SystemExit(f"refusing to drop {name!r}: the bench database's name must start with h_ or bench")
    admin = parts._replace(path="/postgres", scheme="postgresql").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str, data_dir: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": url,
            "TECHISSUE_DATA_DIR": data_dir,
            "TECHISSUE_ENV_FILE": os.devnull,
            "DJANGO_SETTINGS_MODULE": "techissue.settings",
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def csv_bytes(count: int, start: int = 0) -> bytes:
    rows = ["email,name,language"]
    rows += [f"Reader{i}@Example.test,독자 {i},ko" for i in range(start, start + count)]
    return ("\n".join(rows) + "\n").encode("utf-8")


def clear_subscribers() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE audience_subscriber CASCADE")


def timed_import(count: int) -> float:
    from techissue.audience.imports import import_bytes

    data = csv_bytes(count)
    started = time.perf_counter()
    report = import_bytes(data)
    seconds = time.perf_counter() - started
    assert report.created == count and not report.errors, (report.created, report.errors[:3])
    return seconds


def bare_insert(count: int) -> float:
    """The floor: the same rows by `bulk_create`, with no parsing, no checks and no lookups."""
    from django.utils import timezone

    from techissue.audience.models import Subscriber

    now = timezone.now()
    started = time.perf_counter()
    rows = [
        Subscriber(email=f"reader{i}@example.test", name=f"독자 {i}", language="ko", status="active", consent_at=now)
        for i in range(count)
    ]
    Subscriber.objects.bulk_create(rows, batch_size=1000)
    return time.perf_counter() - started


class SlowRelay:
    """An SMTP relay on loopback that waits before answering each message (aiosmtpd)."""

    def __init__(self, delay: float):
        from aiosmtpd.controller import Controller

        self.delay = delay
        self.received = 0
        relay = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                await asyncio.sleep(relay.delay)
                relay.received += len(envelope.rcpt_tos)
                return "250 OK"

        from techissue.delivery.tests.smtpserver import free_port

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SlowRelay:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


def start_edition_send(readers: int, number: int) -> int:
    from django.utils import timezone

    from techissue.audience.models import Subscriber
    from techissue.delivery.services import start_send
    from techissue.editions.models import Edition

    clear_subscribers()
    now = timezone.now()
    Subscriber.objects.bulk_create(
        [
            Subscriber(email=f"r{i}@example.test", name=f"Reader {i}", status="active", consent_at=now)
            for i in range(readers)
        ],
        batch_size=2000,
    )
    edition = Edition.objects.create(number=number, title=f"Scale {number}", slug=f"scale-{number}")
    start_send(edition)
    return edition.pk


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def deliver_with(workers: int, messages: int, url: str, relay: SlowRelay, data_dir: str) -> tuple[float, float]:
    """Seconds to send `messages` with `workers` delivery-only workers, and the peak RSS of the first."""
    from django.db import connection

    from techissue.delivery.models import Delivery

    edition_id = start_edition_send(messages, number=100 + workers)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TECHISSUE_DATA_DIR": data_dir,
        "EMAIL_URL": f"smtp://127.0.0.1:{relay.port}",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    started = time.perf_counter()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "techissue", "worker", "--only", "deliver", "--no-scheduler"],
            env=env,
            cwd=PROJECT_DIR,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    rss = 0.0
    try:
        while True:
            connection.close()
            left = Delivery.objects.filter(edition_id=edition_id).exclude(status="sent").count()
            rss = max(rss, peak_rss_mb(procs[0].pid))
            if not left:
                break
            if any(proc.poll() is not None for proc in procs):
                raise SystemExit("a worker died during the bench")
            time.sleep(0.2)
        seconds = time.perf_counter() - started
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(60)
    return seconds, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/h_ops_scale")
    parser.add_argument("--readers", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--relay-ms", type=float, default=20)
    parser.add_argument("--import-only", action="store_true", help="Skip the delivery figures.")
    args = parser.parse_args()
    recreate_database(args.database_url)
    with tempfile.TemporaryDirectory(prefix="techissue-scale-") as data_dir:
        setup_django(args.database_url, data_dir)
        small = args.readers // 10
        bare = bare_insert(args.readers)
        clear_subscribers()
        seconds_small = timed_import(small)
        clear_subscribers()
        seconds = timed_import(args.readers)
        per_row_small = seconds_small / small * 1e6
        per_row = seconds / args.readers * 1e6
        print(
            f"import {args.readers:,} readers: {seconds:.1f} s (goal <= 60 s); bare bulk_create {bare:.1f} s, ratio {seconds / bare:.1f}x"
        )
        print(
            f"per row: {per_row:.0f} us at {args.readers:,}, {per_row_small:.0f} us at {small:,};"
            f" ratio {per_row / per_row_small:.2f} (goal: flat, <= 1.5)"
        )
        if args.import_only:
            return
        with SlowRelay(args.relay_ms / 1000) as relay:
            one, rss = deliver_with(1, args.messages, args.database_url, relay, data_dir)
            three, _ = deliver_with(3, args.messages, args.database_url, relay, data_dir)
        print(
            f"delivery into a relay waiting {args.relay_ms:.0f} ms: 1 worker {args.messages / one:.0f} msg/s,"
            f" 3 workers {args.messages / three:.0f} msg/s; ratio {one / three:.2f}x (goal >= 2.5x)"
        )
        print(f"peak RSS of a delivery-only worker: {rss:.0f} MB (goal <= 150 MB)")


if __name__ == "__main__":
    main()
