"""The task loop: claim one queued task, run it, write its outcome down; retry, recover and prune task rows."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import Now
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from techissue.ops.models import WorkerBeat

log = logging.getLogger(__name__)

# Tasks that are safe to run again after a failure (each is idempotent), with their attempt budget.
RETRYABLE = {
    "techissue.ops.jobs.fetch_due_feeds",
    "techissue.ops.jobs.curate_now",
    "techissue.ops.jobs.run_app_tick",
    "techissue.ops.jobs.maintain",
}


def retry_delay(attempts: int) -> float:
    """Seconds before attempt `attempts + 1`: doubling from TECHISSUE_TASK_RETRY_SECONDS, at most an hour."""
    return min(3600.0, settings.TECHISSUE_TASK_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


@dataclass
class Unrecorded:
    """An outcome that could not be written (the database went away as the task ended): written first, later."""

    row: DBTaskResult
    value: Any = None
    error: BaseException | None = None


class TaskLoop:
    """One step claims and runs at most one task of `queues`; `running` names it while it runs."""

    def __init__(self, worker_id: str, queues: list[str]):
        self.worker_id = worker_id
        self.queues = queues
        self.running = ""
        self.unrecorded: Unrecorded | None = None

    def step(self) -> bool:
        if self.unrecorded is not None:
            self.record(self.unrecorded)
            self.unrecorded = None
        row = self.claim()
        if row is None:
            return False
        self.running = str(row.id)
        try:
            outcome = self.execute(row)
        finally:
            self.running = ""
        try:
            self.record(outcome)
        except Exception:
            self.unrecorded = outcome
            raise
        return True

    def claim(self) -> DBTaskResult | None:
        ready = DBTaskResult.objects.ready().filter(backend_name="default", queue_name__in=self.queues)
        with exclusive_transaction(ready.db):
            row = ready.get_locked()
            if row is not None:
                row.claim(self.worker_id)
        return row

    def execute(self, row: DBTaskResult) -> Unrecorded:
        try:
            task = row.task
            args = row.args_kwargs
            return Unrecorded(row, value=task.call(*args["args"], **args["kwargs"]))
        except Exception as error:
            log.warning("task %s (%s) failed: %s", row.task_path, row.id, " ".join(str(error).split())[:300])
            return Unrecorded(row, error=error)

    def record(self, outcome: Unrecorded) -> None:
        row = outcome.row
        if outcome.error is None:
            row.set_successful(outcome.value)
            return
        row.set_failed(outcome.error)
        attempts = len(row.worker_ids)
        if row.task_path in RETRYABLE and attempts < settings.TECHISSUE_TASK_ATTEMPTS:
            requeue(row, retry_delay(attempts))


def requeue(row: DBTaskResult, delay: float) -> None:
    """Back to the queue after `delay` seconds; the failure's traceback stays on the row until then."""
    DBTaskResult.objects.filter(pk=row.pk).update(
        status=TaskResultStatus.READY,
        run_after=timezone.now() + timedelta(seconds=delay),
        finished_at=None,
    )


def live_workers(dead_after: float) -> set[str]:
    """Workers whose heartbeat the database saw within `dead_after` seconds (by the database's clock)."""
    recent = WorkerBeat.objects.filter(seen_at__gte=Now() - timedelta(seconds=dead_after))
    return set(recent.values_list("worker_id", flat=True))


def recover_stuck_tasks() -> int:
    """Tasks left running by a worker that stopped beating: queued again when retryable, else failed."""
    dead_after = settings.TECHISSUE_HEARTBEAT_SECONDS * 6
    alive = live_workers(dead_after)
    started_before = timezone.now() - timedelta(seconds=dead_after)
    recovered = 0
    for row in DBTaskResult.objects.running().filter(started_at__lt=started_before):
        owner = row.worker_ids[-1] if row.worker_ids else ""
        if owner in alive:
            continue
        error = RuntimeError(f"worker {owner or '?'} stopped while running this task")
        row.set_failed(error)
        if row.task_path in RETRYABLE and len(row.worker_ids) < settings.TECHISSUE_TASK_ATTEMPTS:
            requeue(row, 0)
        log.warning("task %s (%s) recovered from dead worker %s", row.task_path, row.id, owner)
        recovered += 1
    return recovered


def prune_finished_tasks() -> int:
    """Delete finished task rows older than TECHISSUE_TASK_KEEP_DAYS; returns how many."""
    before = timezone.now() - timedelta(days=settings.TECHISSUE_TASK_KEEP_DAYS)
    finished = Q(status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]) & Q(finished_at__lt=before)
    deleted, _ = DBTaskResult.objects.filter(finished).delete()
    return deleted


def queue_depth() -> dict[str, int]:
    """Tasks waiting to run, by queue (scheduled for later included)."""
    rows = DBTaskResult.objects.filter(status=TaskResultStatus.READY).values("queue_name").annotate(n=Count("pk"))
    return {row["queue_name"]: row["n"] for row in rows}
