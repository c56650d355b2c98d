"""Delivery throughput: personalised ~30 KB messages into Postfix's smtp-sink, next to smtp-source into the same sink.

Run: .venv/bin/python bench/deliver.py [--count 20000] [--connections 4] [--batch-size 500] [--dkim]
Prints both rates, their ratio (goal ≥ 0.25) and the worker's peak RSS (goal < 300 MB). smtp-source runs before
and after the worker (the machine is shared: the ratio uses their mean). `techissue` is timed twice: the whole
worker process (start-up included) and its send window (first to last `sent_at`). `--dkim` signs every message
with a fresh 2048-bit key (dkimpy's pure-Python RSA: use a smaller --count).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
SINK = "/usr/sbin/smtp-sink"
SOURCE = "/usr/sbin/smtp-source"

SETUP = """
import django, time; django.setup()
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
size = len(MessageBuilder().build(prepare_email(edition), Subscriber.objects.first(), 1).data)
print(size)
"""

WINDOW = """
import django; django.setup()
from django.db.models import Count, Max, Min
from techissue.delivery.models import Delivery
sent = Delivery.objects.filter(status="sent").aggregate(n=Count("pk"), first=Min("sent_at"), last=Max("sent_at"))
print(sent["n"], (sent["last"] - sent["first"]).total_seconds())
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20000)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--sections", type=int, default=16, help="editorial sections (sets the message size)")
    parser.add_argument("--dkim", action="store_true", help="sign with a 2048-bit DKIM key")
    args = parser.parse_args()
    for tool in (SINK, SOURCE):
        if not os.access(tool, os.X_OK):
            sys.exit(f"{tool} is missing: run scripts/system-deps.sh (Debian's postfix package)")

    port = free_port()
    sink = subprocess.Popen(
        [SINK, "-u", os.environ.get("USER", "nobody"), f"127.0.0.1:{port}", "256"], stderr=subprocess.DEVNULL
    )
    time.sleep(0.3)
    try:

        def smtp_source() -> float:
            start = time.perf_counter()
            source = [SOURCE, "-d", "-s", "8", "-m", str(args.count), "-l", "30000", f"127.0.0.1:{port}"]
            subprocess.run(source, check=True)
            return args.count / (time.perf_counter() - start)

        baselines = [smtp_source()]

        with tempfile.TemporaryDirectory(prefix="techissue-bench-") as data_dir:
            env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
            env.update(
                TECHISSUE_DATA_DIR=data_dir,
                TECHISSUE_ENV_FILE=os.devnull,
                EMAIL_URL=f"smtp://127.0.0.1:{port}",
                DJANGO_SETTINGS_MODULE="techissue.settings",
                LOG_LEVEL="ERROR",
            )
            if args.dkim:
                key = Path(data_dir) / "dkim.pem"
                subprocess.run(["openssl", "genrsa", "-out", str(key), "2048"], check=True, capture_output=True)
                env.update(DKIM_SELECTOR="bench", DKIM_DOMAIN="example.test", DKIM_PRIVATE_KEY_PATH=str(key))
            python = sys.executable
            subprocess.run([python, "-m", "techissue", "migrate", "-v0"], env=env, cwd=PROJECT_DIR, check=True)
            setup = subprocess.run(
                [python, "-c", SETUP.format(count=args.count, sections=args.sections)],
                env=env, cwd=PROJECT_DIR, check=True, capture_output=True, text=True,
            )  # fmt: skip
            created, size = (int(value) for value in setup.stdout.split())
            command = [
                python,
                "-m",
                "techissue",
                "deliver",
                "--connections",
                str(args.connections),
                "--batch-size",
                str(args.batch_size),
            ]
            start = time.perf_counter()
            worker = subprocess.Popen(command, env=env, cwd=PROJECT_DIR)
            _pid, status, usage = os.wait4(worker.pid, 0)
            elapsed = time.perf_counter() - start
            if status != 0:
                sys.exit(f"techissue deliver failed with status {status}")
            ours = created / elapsed
            window = subprocess.run(
                [python, "-c", WINDOW], env=env, cwd=PROJECT_DIR, check=True, capture_output=True, text=True
            )
            sent, seconds = window.stdout.split()
            steady = int(sent) / max(float(seconds), 1e-6)
        baselines.append(smtp_source())
        baseline = sum(baselines) / len(baselines)
    finally:
        sink.terminate()
        sink.wait()

    print(f"smtp-source: {baseline:8.0f} messages/s ({args.count} × 30000 bytes, 8 sessions; before, after: "
          f"{baselines[0]:.0f}, {baselines[1]:.0f})")  # fmt: skip
    print(
        f"techissue  : {ours:8.0f} messages/s ({created} personalised messages of {size} bytes, {args.connections} "
        f"connections, DKIM {'on' if args.dkim else 'off'}; whole process, start-up included)"
    )
    print(f"             {steady:8.0f} messages/s in the send window ({sent} sent in {float(seconds):.2f} s)")
    print(f"ratio      : {ours / baseline:8.3f}  (goal ≥ 0.25; send window: {steady / baseline:.3f})")
    cpu = usage.ru_utime + usage.ru_stime
    print(f"worker CPU : {cpu:.2f} s = {cpu / created * 1e6:.0f} µs per message (start-up included)")
    print(f"worker peak RSS: {usage.ru_maxrss / 1024:.0f} MB  (goal < 300 MB)")


if __name__ == "__main__":
    main()
