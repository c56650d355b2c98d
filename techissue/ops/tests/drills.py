"""Drill helpers: a real `techissue worker` process on PostgreSQL through a cuttable proxy, and a scheduled edition."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.db import connection
from django.utils import timezone

from techissue.delivery.models import Delivery
from techissue.delivery.tests.conftest import make_readers
from techissue.editions import services
from techissue.editions.models import Edition
from techissue.editions.tests.builders import make_story

PROJECT_DIR = Path(__file__).resolve().parents[3]

# Scaled-down timings, so that a drill takes seconds: the behaviour is the same at the defaults.
FAST = {
    "TECHISSUE_SCHEDULER_SECONDS": "1",
    "TECHISSUE_BACKOFF_MAX_SECONDS": "1",
    "TECHISSUE_HEARTBEAT_SECONDS": "0.5",
    "TECHISSUE_CURATE_IN_CHILD": "false",
}


def proxied_database_url(port: int) -> str:
    """The test database, reached through the proxy on `port`."""
    db = connection.settings_dict
    return f"postgres://{db['USER'] or 'postgres'}@127.0.0.1:{port}/{db['NAME']}"


def upstream() -> tuple[str, int]:
    db = connection.settings_dict
    return (str(db["HOST"] or "127.0.0.1"), int(db["PORT"] or 5432))


def worker_env(data_dir: Path, database_url: str, smtp_port: int, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        {
            "TECHISSUE_DATA_DIR": str(data_dir),
            "TECHISSUE_ENV_FILE": os.devnull,
            "DATABASE_URL": database_url,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "LOG_LEVEL": "INFO",
            **FAST,
            **extra,
        }
    )
    return env


def start_worker(env: dict[str, str], *args: str, log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "techissue", "worker", *args], env=env, cwd=PROJECT_DIR, stdout=handle, stderr=handle
    )


def stop_worker(worker: subprocess.Popen[bytes], timeout: float = 60) -> int:
    if worker.poll() is None:
        worker.terminate()
    try:
        return worker.wait(timeout)
    except subprocess.TimeoutExpired:
        worker.kill()
        return worker.wait()


def scheduled_edition(readers: int, in_seconds: float) -> Edition:
    """An edition of two picks, scheduled `in_seconds` from now, for `readers` active readers."""
    make_readers(readers)
    for index in range(2):
        make_story(f"Drill story {index}", summary=f"Summary {index}", score=10 - index)
    edition = services.draft_edition(size=2, language="en")
    return services.schedule_edition(edition, at=timezone.now() + timedelta(seconds=in_seconds))


def wait_for(condition: Callable[[], bool], timeout: float, every: float = 0.2) -> bool:
    """Poll `condition` until true or `timeout` seconds; a liveness bound, not a timing claim."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        connection.close()  # a fresh view of what the worker committed
        if condition():
            return True
        time.sleep(every)
    return condition()


def all_sent(edition: Edition, readers: int) -> bool:
    return Delivery.objects.filter(edition=edition, status=Delivery.Status.SENT).count() == readers
