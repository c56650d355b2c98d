"""Database outage drills at the default settings: how long after PostgreSQL's return a due edition goes out.

    .venv/bin/python -m bench.drills [--database-url postgres://postgres@127.0.0.1:5432/h_ops_drills]
                                     [--outages 10,60]

A real `techissue worker` reaches PostgreSQL through a TCP proxy that the drill cuts for each outage;
an edition falls due in the middle of it. Goal: sent within 30 s of the database's return. The
baseline is the same drill without an outage (time from the edition's slot to its last delivery).
The database named in the URL is dropped and created again: never point it at real data.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.scale import recreate_database, setup_django


def drill(outage: float, data_dir: Path) -> float:
    """Seconds from the database's return (or, without an outage, from the slot) to the last delivery."""
    from django.db import connection

    from techissue.audience.models import Subscriber
    from techissue.delivery.tests.smtpserver import SmtpServer
    from techissue.editions.models import Edition
    from techissue.ops.models import WorkerBeat
    from techissue.ops.tests.drills import (
        all_sent,
        proxied_database_url,
        scheduled_edition,
        start_worker,
        stop_worker,
        upstream,
        wait_for,
        worker_env,
    )
    from techissue.ops.tests.tcpproxy import TcpProxy

    Edition.objects.all().delete()
    Subscriber.objects.all().delete()
    due_in = outage / 2 if outage else 5
    edition = scheduled_edition(5, in_seconds=due_in)
    slot = time.monotonic() + due_in
    log = data_dir / f"worker-{outage:.0f}.log"
    with SmtpServer() as smtp, TcpProxy(upstream()) as proxy:
        env = worker_env(data_dir, proxied_database_url(proxy.port), smtp.port)
        for name in ("TECHISSUE_SCHEDULER_SECONDS", "TECHISSUE_BACKOFF_MAX_SECONDS", "TECHISSUE_HEARTBEAT_SECONDS"):
            env.pop(name)  # the defaults: this is the figure an operator gets
        worker = start_worker(env, "--only", "tasks,deliver", log=log)
        try:
            if not wait_for(lambda: WorkerBeat.objects.exists(), timeout=120):
                raise SystemExit(log.read_text())
            back = slot
            if outage:
                proxy.cut()
                time.sleep(outage)
                proxy.restore()
                back = time.monotonic()
            if not wait_for(lambda: all_sent(edition, 5), timeout=300, every=0.1):
                raise SystemExit(f"not sent:\n{log.read_text()}")
            seconds = time.monotonic() - max(back, slot)
        finally:
            stop_worker(worker)
            connection.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/h_ops_drills")
    parser.add_argument("--outages", default="10,60", help="outage lengths in seconds, comma-separated")
    args = parser.parse_args()
    recreate_database(args.database_url)
    with tempfile.TemporaryDirectory(prefix="techissue-drills-") as tmp:
        setup_django(args.database_url, tmp)
        baseline = drill(0, Path(tmp))
        print(f"no outage: sent {baseline:.1f} s after its slot (baseline)")
        for outage in [float(part) for part in args.outages.split(",") if part.strip()]:
            seconds = drill(outage, Path(tmp))
            print(
                f"{outage:.0f} s outage: sent {seconds:.1f} s after the database's return"
                f" (goal <= 30 s; {seconds / max(baseline, 0.1):.1f}x the baseline)"
            )


if __name__ == "__main__":
    main()
