"""Background jobs as tasks of Django's Tasks API, one queue per worker role (fetch, curate, default)."""

from __future__ import annotations

import importlib
import json
import logging
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from techissue.ops.locks import Busy, exclusive

log = logging.getLogger(__name__)

CURATION_LOCK = "curation"


@task(queue_name="fetch")
def fetch_due_feeds() -> dict[str, int]:
    """Fetch every feed that is due, then ask for a curation when anything new came in."""
    from techissue.sources.services import fetch_due

    summary = fetch_due()
    if summary.new_articles:
        request_curation()
    return {
        "ok": summary.feeds_ok,
        "failed": summary.feeds_failed,
        "new": summary.new_articles,
    }


def curate_waiting() -> Any:
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=curate_now.module_path)


def request_curation(delay: float = 0) -> bool:
    """Queue a curation unless one is already queued (that one will see these articles too)."""
    if curate_waiting().exists():
        return False
    if delay:
        curate_now.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue()
    else:
        curate_now.enqueue()
    return True


@task(queue_name="curate")
def curate_now() -> dict[str, Any]:
    """Curate what the fetches brought, one curation at a time across all hosts; queued requests coalesce.

    1. If a curation runs elsewhere, come back later (the task thread is not held for its length).
    2. Every curation queued before this one starts is covered by it: those rows end as coalesced.
    3. The work runs in a child process (TECHISSUE_CURATE_IN_CHILD), so the worker's memory stays small.
    """
    try:
        with exclusive(CURATION_LOCK, wait=False):
            pass
    except Busy:
        request_curation(delay=settings.TECHISSUE_CURATE_RETRY_SECONDS)
        return {"deferred": True}
    coalesced = curate_waiting().update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now(), return_value={"coalesced": True}
    )
    result = curate_in_child() if child_database_url() else curate_here()
    return {**result, "coalesced": coalesced}


def curate_here() -> dict[str, Any]:
    # Imported here: curation pulls in scikit-learn and SciPy, which a worker's start-up need not pay.
    from techissue.curation.services import curate

    report = curate()  # it takes the curation lock itself
    return {"new": report.new_articles, "seconds": round(report.seconds, 3), "pid": os.getpid()}


def child_database_url() -> str:
    """The database as a URL a child process can open, or "" when curation must stay in this process."""
    if not settings.TECHISSUE_CURATE_IN_CHILD:
        return ""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(db["NAME"])
        return "" if name.startswith(("file:", ":memory:")) or not name else f"sqlite:///{name}"
    from urllib.parse import quote

    auth = quote(str(db.get("USER") or ""))
    if db.get("PASSWORD"):
        auth += ":" + quote(str(db["PASSWORD"]))
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}{port}/{db['NAME']}"


def curate_in_child() -> dict[str, Any]:
    """Run `curate_here` in a fresh interpreter: its memory goes back to the system when it exits."""
    env = {**os.environ, "DATABASE_URL": child_database_url()}
    done = subprocess.run(
        [sys.executable, "-m", "techissue.ops.curate_child"], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"curation failed in its child process: {done.stderr.strip()[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@task()
def run_app_tick(module: str) -> bool:
    """Run one app's periodic `tick()` (editions that are due, delivery batches)."""
    tick: Callable[[], bool] = importlib.import_module(module).tick
    return bool(tick())


@task()
def maintain() -> dict[str, int]:
    """Housekeeping: recover tasks of dead workers, prune old task rows, forget old heartbeats and slots."""
    from techissue.ops.heartbeat import prune_heartbeats
    from techissue.ops.scheduling import prune_slots
    from techissue.ops.tasks import prune_finished_tasks, recover_stuck_tasks

    return {
        "recovered": recover_stuck_tasks(),
        "pruned": prune_finished_tasks(),
        "slots": prune_slots(),
        "heartbeats": prune_heartbeats(),
    }
