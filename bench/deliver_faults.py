"""Delivery under faults, at scale: SIGKILL, 4xx and 5xx replies, connections dropped mid-DATA, a 60 s stall,
database connections terminated under the worker.

Each run has a fresh database with `--subscribers` active readers (and one unsubscribed):
1. `techissue deliver` killed with SIGKILL at random moments `--kills` times, restarted each time, then left to
   finish: every reader gets the edition, duplicates ≤ connections × kills (one message in flight per connection).
2. The server answers 451 to a fifth of the recipients on their first two attempts: all delivered in the end.
3. The server answers 550 to one recipient in fifty: those fail and are suppressed, the rest delivered.
4. bench/delaysink.py (20 ms per message) drops the connection in the middle of every 97th message's data.
5. bench/delaysink.py stalls every 400th message for 60 s (the worker gives up on it after EMAIL_URL's 30 s).
6. With --postgres: every backend of the worker's database is terminated (pg_terminate_backend) once a second,
   five times, while it sends.
Prints, for each run, lost (readers who never got it) and duplicated counts, and the database's counts.
Run: `.venv/bin/python -m bench.deliver_faults [--subscribers 5000 --kills 5 --seed N --postgres URL]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from techissue.delivery.tests.smtpserver import Recorder, SmtpServer
from techissue.delivery.tests.workers import SETUP_SCRIPT, run, start_deliver, worker_env

COUNTS = """
import json
import django; django.setup()
from django.db.models import Count
from techissue.audience.models import Subscriber
from techissue.delivery.models import Delivery
print(json.dumps({
    "deliveries": dict(Delivery.objects.values_list("status").annotate(n=Count("pk"))),
    "attempts": dict(Delivery.objects.values_list("attempts").annotate(n=Count("pk"))),
    "subscribers": dict(Subscriber.objects.values_list("status").annotate(n=Count("pk"))),
}))
"""
CONNECTIONS = 4
OPTIONS = (
    "--batch-size",
    "200",
    "--connections",
    str(CONNECTIONS),
    "--lease-seconds",
    "2",
    "--retry-base-seconds",
    "0.5",
)
DELAYSINK = Path(__file__).resolve().parent / "delaysink.py"


class PacedRecorder(Recorder):
    """Takes a little time per message, as a real server does, so that kills land in the middle of a send."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(0.001)
        return await super().handle_DATA(server, session, envelope)


def reader(index: int) -> str:
    return f"reader{index}@example.test"


def prepare(data_dir: Path, port: int, subscribers: int) -> dict[str, str]:
    env = worker_env(data_dir, port)
    run(["-m", "techissue", "migrate", "-v0"], env)
    run(["-c", SETUP_SCRIPT.format(count=subscribers)], env)
    return env


def finish(env: dict[str, str], timeout: float) -> float:
    """Run a worker until nothing is left to send (it waits for leases and backoffs); returns its duration."""
    start = time.perf_counter()
    worker = start_deliver(env, *OPTIONS)
    status = worker.wait(timeout=timeout)
    if status != 0:
        sys.exit(f"techissue deliver failed ({status}): {worker.stderr.read().decode() if worker.stderr else ''}")
    return time.perf_counter() - start


def report(title: str, recipients: list[str], env: dict[str, str], subscribers: int, seconds: float) -> Counter[str]:
    received = Counter(recipients)
    expected = {reader(index) for index in range(subscribers)}
    distribution = Counter(received.get(address, 0) for address in expected)
    counts = json.loads(run(["-c", COUNTS], env).stdout)
    print(f"\n== {title} ({seconds:.1f} s)")
    print("readers by copies received: " + ", ".join(f"{n}×: {distribution[n]}" for n in sorted(distribution)))
    lost = len(expected - set(received))
    print(
        f"lost: {lost}, duplicated: {sum(received.values()) - len(received)} (messages received: {sum(received.values())})"
    )
    print(f"unexpected recipients: {len(set(received) - expected)}")
    print(f"deliveries by status: {counts['deliveries']}")
    print(f"deliveries by attempts: {dict(sorted(counts['attempts'].items(), key=lambda item: int(item[0])))}")
    print(f"subscribers by status: {counts['subscribers']}")
    return received


def kills(subscribers: int, times: int, rng: random.Random) -> None:
    with tempfile.TemporaryDirectory(prefix="techissue-faults-") as data_dir, SmtpServer(PacedRecorder()) as server:
        env = prepare(Path(data_dir), server.port, subscribers)
        start = time.perf_counter()
        done = 0
        while done < times:
            before = len(server.recorder.received)
            worker = start_deliver(env, *OPTIONS)
            deadline = time.monotonic() + 60
            while len(server.recorder.received) == before and worker.poll() is None and time.monotonic() < deadline:
                time.sleep(0.005)
            time.sleep(rng.uniform(0, 1.5))
            if worker.poll() is not None:
                print(f"the send finished after {done} kills")
                break
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            done += 1
            print(f"kill {done}: {len(server.recorder.received) - before} messages received in that run")
        finish(env, timeout=300)
        received = report(
            f"{done} SIGKILLs", server.recorder.recipients(), env, subscribers, time.perf_counter() - start
        )  # fmt: skip
        duplicates = sum(received.values()) - len(received)
        verdict = "ok" if duplicates <= done * CONNECTIONS else "FAILED"
        print(f"duplicates {duplicates} ≤ kills {done} × connections {CONNECTIONS}: {verdict}")


def refusals(title: str, subscribers: int, reply_for: Callable[[str, int], str | None]) -> None:
    with tempfile.TemporaryDirectory(prefix="techissue-faults-") as data_dir:
        with SmtpServer(Recorder(reply_for=reply_for)) as server:
            env = prepare(Path(data_dir), server.port, subscribers)
            seconds = finish(env, timeout=600)
        report(title, server.recorder.recipients(), env, subscribers, seconds)


def through_delaysink(
    title: str, subscribers: int, sink_args: list[str], database_url: str = "", cut_database: bool = False
) -> None:
    """One send into bench/delaysink.py with its fault options; with `cut_database`, terminate the DB's backends."""
    with tempfile.TemporaryDirectory(prefix="techissue-faults-") as data_dir:
        log = Path(data_dir) / "received.txt"
        sink = subprocess.Popen(
            [sys.executable, str(DELAYSINK), "--delay-ms", "20", "--log", str(log), *sink_args],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert sink.stdout is not None
        port = int(sink.stdout.readline().split()[1])
        try:
            if database_url:
                reset_postgres(database_url)
            env = worker_env(Path(data_dir), port, database_url or None)
            run(["-m", "techissue", "migrate", "-v0"], env)
            run(["-c", SETUP_SCRIPT.format(count=subscribers)], env)
            start = time.perf_counter()
            worker = start_deliver(env, *OPTIONS)
            if cut_database:
                terminate_backends(database_url, worker, times=5)
            status = worker.wait(timeout=900)
            if status != 0:
                # A worker may exit (non-zero, clearly) when the database stays away; a restart finishes the send.
                print(f"worker exited with {status}: {(worker.stderr.read().decode() if worker.stderr else '')[-300:]}")
            seconds = finish(env, timeout=900) + time.perf_counter() - start
        finally:
            sink.terminate()
            summary = sink.communicate(timeout=30)[0].strip()
        print(f"\n(sink: {summary})")
        report(title, log.read_text().split(), env, subscribers, seconds)


def reset_postgres(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def terminate_backends(url: str, worker: subprocess.Popen[bytes], times: int) -> None:
    """Terminate every connection to the worker's database, once a second, while it runs."""
    import psycopg

    base, _, name = url.rpartition("/")
    done = 0
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        while done < times and worker.poll() is None:
            time.sleep(1.0)
            rows = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            ).fetchall()
            if rows:  # count only cuts that hit the worker (it may still be starting)
                done += 1
                print(f"cut {done}: terminated {len(rows)} database connection(s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=5000)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--postgres", default="", help="a PostgreSQL URL whose database the bench may drop and create")
    parser.add_argument("--only", default="", help="comma-separated runs: kills,451,550,drop,stall,db")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    print(f"{args.subscribers} subscribers, seed {seed}")
    count = args.subscribers

    runs = set(args.only.split(",")) if args.only else {"kills", "451", "550", "drop", "stall", "db"}
    if "kills" in runs:
        kills(count, args.kills, random.Random(seed))
    if "drop" in runs:
        through_delaysink("connection dropped mid-DATA, every 97th message", count, ["--drop-every", "97"])
    if "stall" in runs:
        through_delaysink("a 60 s stall, every 400th message", count, ["--stall-every", "400", "--stall-seconds", "60"])
    if "db" in runs and args.postgres:
        through_delaysink("database connections terminated 5 times", count, [], args.postgres, cut_database=True)
    if not runs & {"451", "550"}:
        return

    greylisted = {reader(index) for index in range(0, count, 5)}
    if "451" in runs:
        refusals(
            "451 to a fifth of the recipients, twice each",
            count,
            lambda rcpt, attempt: "451 4.7.1 try again later" if rcpt in greylisted and attempt <= 2 else None,
        )
    rejected = {reader(index) for index in range(3, count, 50)}
    if "550" in runs:
        refusals(
            f"550 to {len(rejected)} recipients (one in fifty)",
            count,
            lambda rcpt, attempt: "550 5.1.1 no such user" if rcpt in rejected else None,
        )
        print(f"(expected: {len(rejected)} deliveries failed and {len(rejected)} subscribers bounced)")


if __name__ == "__main__":
    main()
