"""Background jobs as tasks of Django's Tasks API, and the periodic ticks that enqueue them."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django_tasks import task
from django_tasks_db.models import DBTaskResult


@task()
def fetch_due_feeds() -> dict[str, int]:
    """Fetch every feed that is due, then curate when anything new came in."""
    from techissue.sources.services import fetch_due

    summary = fetch_due()
    if summary.new_articles:
        curate_now.enqueue()
    return {
        "ok": summary.feeds_ok,
        "failed": summary.feeds_failed,
        "new": summary.new_articles,
    }


@task()
def curate_now() -> int:
    """Deduplicate, cluster, rank and summarise what the last fetches brought."""
    # Imported here: curation pulls in scikit-learn and SciPy, which a worker's start-up need not pay.
    from techissue.curation.services import curate

    return curate().new_articles


@task()
def run_app_tick(module: str) -> bool:
    """Run one app's periodic `tick()` (editions that are due, delivery batches)."""
    tick: Callable[[], bool] = importlib.import_module(module).tick
    return bool(tick())


@dataclass(frozen=True)
class PeriodicJob:
    """A job the scheduler enqueues every `every` seconds, unless one is still waiting to run."""

    name: str
    every: float
    enqueue: Callable[[], object]
    task_path: str
    args: tuple[str, ...] = ()


def periodic_jobs() -> list[PeriodicJob]:
    """Fetch due feeds every minute; hand due editions to delivery every 30 seconds."""
    editions = "techissue.editions.periodic"
    return [
        PeriodicJob("fetch", 60, fetch_due_feeds.enqueue, fetch_due_feeds.module_path),
        PeriodicJob("editions", 30, partial(run_app_tick.enqueue, editions), run_app_tick.module_path, (editions,)),
    ]


def already_waiting(job: PeriodicJob) -> bool:
    """Whether a task of this job is queued and not started: then enqueueing again would only pile up."""
    waiting = DBTaskResult.objects.ready().filter(task_path=job.task_path)
    if job.args:
        return any(row.args_kwargs.get("args") == list(job.args) for row in waiting[:20])
    return waiting.exists()
