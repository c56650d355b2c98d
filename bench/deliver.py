"""Delivery throughput: into Postfix's smtp-sink next to smtp-source, and into a relay that waits 20 ms per message.

Run: .venv/bin/python bench/deliver.py [--count 10000] [--slow-count 4000] [--postgres postgres://…/h_bench]
Prints, each with its ratio to its goal:
1. smtp-source into smtp-sink (the baseline, before and after the workers: the machine is shared);
2. the worker into smtp-sink, DKIM off and on (2048-bit RSA): goals 0.4× and 0.25× smtp-source;
3. the worker into a loopback relay that waits 20 ms before each end-of-data reply (bench/delaysink.py), with
   4 and 16 connections: goal 0.8 × connections ÷ 20 ms;
4. with --postgres: 1 and 3 workers (4 connections each) into that relay, on PostgreSQL.
Each worker figure is its send window (first to last `sent_at`); the whole process, start-up included, follows.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
SINK = "/usr/sbin/smtp-sink"
SOURCE = "/usr/sbin/smtp-source"

SETUP = """
import django; django.setup()
from django.utils import timezone
from techissue.audience.models import Subscriber
from techissue.delivery.message import MessageBuilder
from techissue.delivery.services import start_send
from techissue.editions.models import Edition
from techissue.editions.render import prepare_email
count = {count}
now = timezone.now()
rows = [Subscriber(email=f"reader{{i}}@d{{i % 50}}.example.test", name=f"독자 {{i}}", status="active", consent_at=now,
        consent_method="import") for i in range(count)]
Subscriber.objects.bulk_create(rows, batch_size=2000)
paragraph = "이번 호의 주요 소식입니다. The week in technology and business, read so you need not. " * 6
editorial = "\\n\\n".join(f"## Section {{n}}\\n\\n{{paragraph}}" for n in range({sections}))
edition = Edition.objects.create(number=1, title="Bench edition", slug="bench", editorial_md=editorial)
print(start_send(edition))
print(len(MessageBuilder().build(prepare_email(edition), Subscriber.objects.first(), 1).data))
"""

WINDOW = """
import django; django.setup()
from django.db.models import Count, Max, Min
from techissue.delivery.models import Delivery
sent = Delivery.objects.filter(status="sent").aggregate(n=Count("pk"), first=Min("sent_at"), last=Max("sent_at"))
left = Delivery.objects.exclude(status="sent").count()
print(sent["n"], (sent["last"] - sent["first"]).total_seconds(), left)
"""


@dataclass
class Result:
    sent: int
    window: float  # messages per second between the first and the last sent_at
    whole: float  # messages per second over the whole run of the workers, start-up included
    size: int
    left: int
    cpu: float  # seconds of CPU the workers used (user + system), start-up included


def python(args: list[str], env: dict[str, str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=PROJECT_DIR, check=True, capture_output=True, text=True, **kwargs
    )  # type: ignore[call-overload, no-any-return]


def reset_postgres(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def run_workers(
    port: int, count: int, sections: int, connections: int, workers: int = 1, dkim: bool = False, postgres: str = ""
) -> Result:
    with tempfile.TemporaryDirectory(prefix="techissue-bench-") as data_dir:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(
            TECHISSUE_DATA_DIR=data_dir,
            TECHISSUE_ENV_FILE=os.devnull,
            EMAIL_URL=f"smtp://127.0.0.1:{port}",
            DJANGO_SETTINGS_MODULE="techissue.settings",
            LOG_LEVEL="ERROR",
        )
        if postgres:
            reset_postgres(postgres)
            env["DATABASE_URL"] = postgres
        if dkim:
            key = Path(data_dir) / "dkim.pem"
            subprocess.run(["openssl", "genrsa", "-out", str(key), "2048"], check=True, capture_output=True)
            env.update(DKIM_SELECTOR="bench", DKIM_DOMAIN="example.test", DKIM_PRIVATE_KEY_PATH=str(key))
        python(["-m", "techissue", "migrate", "-v0"], env)
        created, size = (
            int(value) for value in python(["-c", SETUP.format(count=count, sections=sections)], env).stdout.split()
        )
        command = [
            sys.executable,
            "-m",
            "techissue",
            "deliver",
            "--connections",
            str(connections),
            "--batch-size",
            "500",
        ]
        start = time.perf_counter()
        procs = [subprocess.Popen(command, env=env, cwd=PROJECT_DIR) for _ in range(workers)]
        cpu = 0.0
        for proc in procs:
            _pid, status, usage = os.wait4(proc.pid, 0)
            if status != 0:
                sys.exit(f"techissue deliver failed with status {status}")
            cpu += usage.ru_utime + usage.ru_stime
        elapsed = time.perf_counter() - start
        sent, seconds, left = python(["-c", WINDOW], env).stdout.split()
        return Result(int(sent), int(sent) / max(float(seconds), 1e-6), created / elapsed, size, int(left), cpu)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


SOURCE_CPU: list[float] = []  # CPU seconds per message of each smtp-source run


def smtp_source(port: int, count: int) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen([SOURCE, "-d", "-s", "8", "-m", str(count), "-l", "30000", f"127.0.0.1:{port}"])
    _pid, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        sys.exit(f"smtp-source failed with status {status}")
    SOURCE_CPU.append((usage.ru_utime + usage.ru_stime) / count)
    return count / (time.perf_counter() - start)


def show(label: str, result: Result, goal: float, goal_text: str) -> None:
    print(
        f"{label:<38} {result.window:7.0f} msg/s  ratio to goal {result.window / goal:5.2f}  (goal {goal_text} = {goal:.0f}; "
        f"whole run {result.whole:.0f} msg/s; {result.sent} sent, {result.left} not sent, {result.size} bytes each; "
        f"worker CPU {result.cpu / max(result.sent, 1) * 1e6:.0f} µs/msg)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000, help="messages into smtp-sink")
    parser.add_argument("--slow-count", type=int, default=4000, help="messages into the 20 ms relay (4 connections)")
    parser.add_argument("--sections", type=int, default=16, help="editorial sections (sets the message size)")
    parser.add_argument("--delay-ms", type=float, default=20.0)
    parser.add_argument("--postgres", default="", help="a PostgreSQL URL whose database the bench may drop and create")
    args = parser.parse_args()
    for tool in (SINK, SOURCE):
        if not os.access(tool, os.X_OK):
            sys.exit(f"{tool} is missing: run scripts/system-deps.sh (Debian's postfix package)")
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)

    port = free_port()
    sink = subprocess.Popen(
        [SINK, "-u", os.environ.get("USER", "nobody"), f"127.0.0.1:{port}", "256"], stderr=subprocess.DEVNULL
    )
    delaysink = subprocess.Popen(
        [sys.executable, str(PROJECT_DIR / "bench" / "delaysink.py"), "--delay-ms", str(args.delay_ms)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert delaysink.stdout is not None
    slow_port = int(delaysink.stdout.readline().split()[1])
    time.sleep(0.3)
    per_message = args.delay_ms / 1000
    try:
        before = smtp_source(port, args.count)
        print(f"smtp-source into smtp-sink (before): {before:.0f} msg/s", flush=True)
        off = run_workers(port, args.count, args.sections, 4)
        on = run_workers(port, args.count // 2, args.sections, 4, dkim=True)
        after = smtp_source(port, args.count)
        baseline = (before + after) / 2
        print(
            f"smtp-source into smtp-sink: {baseline:.0f} msg/s (before {before:.0f}, after {after:.0f}; 8 sessions; "
            f"CPU {sum(SOURCE_CPU) / len(SOURCE_CPU) * 1e6:.0f} µs/msg)"
        )
        show("worker → smtp-sink, DKIM off", off, 0.4 * baseline, "0.4 × smtp-source")
        print(f"{'':<38} ratio to smtp-source {off.window / baseline:.3f}")
        show("worker → smtp-sink, DKIM on (RSA 2048)", on, 0.25 * baseline, "0.25 × smtp-source")
        print(f"{'':<38} ratio to smtp-source {on.window / baseline:.3f}")
        for connections, count in ((4, args.slow_count), (16, args.slow_count * 3)):
            result = run_workers(slow_port, count, args.sections, connections)
            goal = 0.8 * connections / per_message
            show(
                f"worker → {args.delay_ms:.0f} ms relay, {connections} connections",
                result,
                goal,
                f"0.8 × {connections} ÷ {args.delay_ms:.0f} ms",
            )
        if args.postgres:
            for workers in (1, 3):
                result = run_workers(
                    slow_port, args.slow_count * workers, args.sections, 4, workers=workers, postgres=args.postgres
                )
                goal = 0.8 * 4 * workers / per_message
                show(
                    f"{workers} worker(s) × 4 conns, PostgreSQL",
                    result,
                    goal,
                    f"0.8 × {4 * workers} ÷ {args.delay_ms:.0f} ms",
                )
    finally:
        sink.terminate()
        delaysink.terminate()
        sink.wait()
        delaysink.wait()
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
