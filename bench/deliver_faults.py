"""Delivery under faults, at scale: a worker SIGKILLed and restarted, a server that says 4xx, one that says 5xx.

Three runs, each on a fresh SQLite database with `--subscribers` active readers (and one unsubscribed) and a
real SMTP server (aiosmtpd) in this process:
1. `techissue deliver` killed with SIGKILL at random moments `--kills` times, restarted each time, then left to
   finish: every reader should get the edition, no one more than twice, duplicates ≤ kills.
2. The server answers 451 to a fifth of the recipients on their first two attempts: all delivered in the end.
3. The server answers 550 to one recipient in fifty: those fail and are suppressed, the rest delivered.
Prints, for each run, how many readers received the edition how many times, and the database's counts.
Run: `.venv/bin/python -m bench.deliver_faults [--subscribers 5000 --kills 5 --seed N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import signal
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
OPTIONS = ("--batch-size", "200", "--connections", "4", "--lease-seconds", "2", "--retry-base-seconds", "0.5")


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


def report(title: str, recorder: Recorder, env: dict[str, str], subscribers: int, seconds: float) -> Counter[str]:
    received = Counter(recorder.recipients())
    expected = {reader(index) for index in range(subscribers)}
    distribution = Counter(received.get(address, 0) for address in expected)
    counts = json.loads(run(["-c", COUNTS], env).stdout)
    print(f"\n== {title} ({seconds:.1f} s)")
    print("readers by copies received: " + ", ".join(f"{n}×: {distribution[n]}" for n in sorted(distribution)))
    print(f"messages received: {sum(received.values())}, duplicates: {sum(received.values()) - len(received)}")
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
            f"{done} SIGKILLs", server.recorder, env, subscribers, time.perf_counter() - start
        )  # fmt: skip
        duplicates = sum(received.values()) - len(received)
        verdict = "ok" if duplicates <= done and max(received.values()) <= 2 else "FAILED"
        print(f"duplicates {duplicates} ≤ kills {done}, nobody more than twice: {verdict}")


def refusals(title: str, subscribers: int, reply_for: Callable[[str, int], str | None]) -> None:
    with tempfile.TemporaryDirectory(prefix="techissue-faults-") as data_dir:
        with SmtpServer(Recorder(reply_for=reply_for)) as server:
            env = prepare(Path(data_dir), server.port, subscribers)
            seconds = finish(env, timeout=600)
        report(title, server.recorder, env, subscribers, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=5000)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    print(f"{args.subscribers} subscribers, seed {seed}")
    count = args.subscribers

    kills(count, args.kills, random.Random(seed))

    greylisted = {reader(index) for index in range(0, count, 5)}
    refusals(
        "451 to a fifth of the recipients, twice each",
        count,
        lambda rcpt, attempt: "451 4.7.1 try again later" if rcpt in greylisted and attempt <= 2 else None,
    )
    rejected = {reader(index) for index in range(3, count, 50)}
    refusals(
        f"550 to {len(rejected)} recipients (one in fifty)",
        count,
        lambda rcpt, attempt: "550 5.1.1 no such user" if rcpt in rejected else None,
    )
    print(f"(expected: {len(rejected)} deliveries failed and {len(rejected)} subscribers bounced)")


if __name__ == "__main__":
    main()
