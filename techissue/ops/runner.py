"""The background machinery that `worker` and `serve` run: a task worker, a scheduler and the delivery loop."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable

from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Worker

from techissue.delivery.periodic import tick as delivery_tick
from techissue.ops.jobs import PeriodicJob, already_waiting, periodic_jobs

log = logging.getLogger(__name__)


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


class Scheduler:
    """Enqueues each periodic job when its time comes, unless a run of it is already waiting."""

    def __init__(
        self,
        jobs: list[PeriodicJob] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.jobs = jobs if jobs is not None else periodic_jobs()
        self.clock = clock
        self.due_at = {job.name: 0.0 for job in self.jobs}

    def step(self) -> bool:
        """A loop step: enqueue what is due, then always rest (the enqueued work runs elsewhere)."""
        self.run_pending()
        return False

    def run_pending(self) -> list[str]:
        """Enqueue what is due now; returns the names enqueued."""
        now = self.clock()
        enqueued = []
        for job in self.jobs:
            if now < self.due_at[job.name]:
                continue
            self.due_at[job.name] = now + job.every
            if already_waiting(job):
                continue
            job.enqueue()
            enqueued.append(job.name)
        return enqueued


def _loop(stop: threading.Event, step: Callable[[], bool], idle: float, name: str) -> None:
    """Call `step` until stopped, sleeping `idle` seconds whenever it found nothing to do."""
    while not stop.is_set():
        try:
            busy = step()
        except Exception:  # one bad round must not end the loop: log it and go on
            log.exception("%s failed; trying again shortly", name)
            busy = False
        finally:
            close_old_connections()
        if not busy:
            stop.wait(idle)
    connection.close()


def delivery_step() -> bool:
    """One delivery batch; whether there was work."""
    return bool(delivery_tick())


class Background:
    """A task worker, the scheduler and the delivery loop, each on its own thread, stopped together."""

    def __init__(self, *, scheduler: bool = True, delivery: bool = True, interval: float = 1.0):
        self.stop_event = threading.Event()
        self.task_worker = Worker(
            queue_names=["default"],
            interval=interval,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id(),
            excluded_queue_names=[],
        )
        self.threads: list[threading.Thread] = [threading.Thread(target=self._run_tasks, name="tasks", daemon=True)]
        if scheduler:
            sched = Scheduler()
            self.threads.append(
                threading.Thread(
                    target=_loop,
                    args=(self.stop_event, sched.step, 5.0, "scheduler"),
                    name="scheduler",
                    daemon=True,
                )
            )
        if delivery:
            self.threads.append(
                threading.Thread(
                    target=_loop,
                    args=(self.stop_event, delivery_step, 2.0, "delivery"),
                    name="delivery",
                    daemon=True,
                )
            )

    def _run_tasks(self) -> None:
        try:
            self.task_worker.run()
        finally:
            connection.close()

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the current batch and task, then stop every thread."""
        self.stop_event.set()
        self.task_worker.running = False
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(max(0.1, deadline - time.monotonic()))

    def wait(self) -> None:
        while not self.stop_event.is_set():
            self.stop_event.wait(1.0)
