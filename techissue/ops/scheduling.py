"""Periodic work, enqueued once per period across all workers: a unique (job, period) row is the ticket."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from techissue.ops import jobs
from techissue.ops.models import PeriodSlot

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    """A job enqueued once every `every` seconds across all workers, unless a run of it is still waiting."""

    name: str
    every: float
    enqueue: Callable[[], object]
    task_path: str
    args: tuple[str, ...] = ()


def periodic_jobs(period: float | None = None) -> list[PeriodicJob]:
    """Due editions every period (TECHISSUE_SCHEDULER_SECONDS), due feeds every 4, housekeeping every 20."""
    period = float(period or settings.TECHISSUE_SCHEDULER_SECONDS)
    editions = "techissue.editions.periodic"
    tick = jobs.run_app_tick
    return [
        PeriodicJob("editions", period, partial(tick.enqueue, editions), tick.module_path, (editions,)),
        PeriodicJob("fetch", 4 * period, jobs.fetch_due_feeds.enqueue, jobs.fetch_due_feeds.module_path),
        PeriodicJob("maintain", 20 * period, jobs.maintain.enqueue, jobs.maintain.module_path),
    ]


def database_epoch() -> float:
    """Seconds since the epoch by the database's clock on PostgreSQL (hosts' clocks may disagree)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT EXTRACT(EPOCH FROM clock_timestamp())")
            return float(cursor.fetchone()[0])
    return timezone.now().timestamp()  # SQLite: one host, one clock


def already_waiting(job: PeriodicJob) -> bool:
    """Whether a task of this job is queued and not started: then enqueueing again would only pile up."""
    waiting = DBTaskResult.objects.ready().filter(task_path=job.task_path)
    if job.args:
        return any(row.args_kwargs.get("args") == list(job.args) for row in waiting[:20])
    return waiting.exists()


def take_slot(job: PeriodicJob, worker_id: str, epoch: float) -> bool:
    """Enqueue `job` for the current period if no worker has yet; True when this call did."""
    slot = int(epoch // job.every)
    try:
        with transaction.atomic():
            PeriodSlot.objects.create(job=job.name, slot=slot, worker_id=worker_id)
            if already_waiting(job):
                return True  # the period is taken all the same: a queued run covers it
            job.enqueue()
    except IntegrityError:
        return False
    return True


class Scheduler:
    """Each step offers every job its current period; the unique slot lets exactly one worker enqueue it."""

    def __init__(self, worker_id: str, jobs_: list[PeriodicJob] | None = None):
        self.worker_id = worker_id
        self.jobs = jobs_ if jobs_ is not None else periodic_jobs()
        self.last_slot: dict[str, int] = {}

    def step(self) -> bool:
        """A loop step: enqueue what is due, then always rest (the enqueued work runs elsewhere)."""
        self.run_pending()
        return False

    def run_pending(self) -> list[str]:
        epoch = database_epoch()
        enqueued = []
        for job in self.jobs:
            slot = int(epoch // job.every)
            if self.last_slot.get(job.name) == slot:
                continue  # this worker already saw this period through (taken by it or by another)
            if take_slot(job, self.worker_id, epoch):
                enqueued.append(job.name)
            self.last_slot[job.name] = slot
        return enqueued


def prune_slots() -> int:
    """Forget period rows older than a day (the unique key only matters for the current period)."""
    deleted, _ = PeriodSlot.objects.filter(created_at__lt=timezone.now() - timedelta(days=1)).delete()
    return deleted
