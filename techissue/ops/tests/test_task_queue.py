"""The task queue: periodic work once per period across workers, retries with backoff, recovery, pruning."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from techissue.ops import tasks
from techissue.ops.heartbeat import beat
from techissue.ops.scheduling import Scheduler
from techissue.ops.tasks import TaskLoop, prune_finished_tasks, recover_stuck_tasks
from techissue.ops.tests.sample_tasks import flaky

FLAKY = "techissue.ops.tests.sample_tasks.flaky"


@pytest.mark.django_db(transaction=True)
def test_three_workers_schedule_each_periodic_job_once_per_period(settings: Any) -> None:
    settings.TECHISSUE_SCHEDULER_SECONDS = 3600  # the test never straddles two periods
    # At the same instant on PostgreSQL; one after the other on SQLite, whose in-memory test database
    # locks whole tables between threads (a file database queues writers instead).
    concurrent = connection.vendor == "postgresql"
    barrier = threading.Barrier(3 if concurrent else 1)

    def schedule(worker: str) -> None:
        barrier.wait()
        try:
            Scheduler(worker).run_pending()
        finally:
            if concurrent:
                connection.close()

    threads = [threading.Thread(target=schedule, args=(f"host{n}:1",)) for n in range(3)]
    for thread in threads:
        thread.start()
        if not concurrent:
            thread.join(30)
    for thread in threads:
        thread.join(30)
    paths = list(DBTaskResult.objects.values_list("task_path", flat=True))
    assert sorted(paths) == sorted(
        ["techissue.ops.jobs.run_app_tick", "techissue.ops.jobs.fetch_due_feeds", "techissue.ops.jobs.maintain"]
    )
    # Another round in the same period, by a fourth worker, adds nothing.
    assert Scheduler("host4:1").run_pending() == []
    assert DBTaskResult.objects.count() == 3


@pytest.fixture
def retryable(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    monkeypatch.setattr(tasks, "RETRYABLE", {*tasks.RETRYABLE, FLAKY})
    settings.TECHISSUE_TASK_RETRY_SECONDS = 10
    settings.TECHISSUE_TASK_ATTEMPTS = 3
    cache.clear()


def run_due(loop: TaskLoop) -> None:
    """Make the queued row due now (its backoff elapsed), then take one step."""
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
    assert loop.step()


@pytest.mark.django_db
def test_a_retryable_task_comes_back_with_doubling_backoff_and_then_succeeds(retryable: None) -> None:
    result = flaky.enqueue("a", 2)
    loop = TaskLoop("test:1", ["default"])
    assert loop.step()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.READY and "attempt 1 failed" in row.traceback
    first_wait = (row.run_after - timezone.now()).total_seconds()
    assert 5 < first_wait <= 10
    run_due(loop)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY
    assert 15 < (row.run_after - timezone.now()).total_seconds() <= 20
    run_due(loop)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL and row.return_value == 3


@pytest.mark.django_db
def test_a_task_that_keeps_failing_stops_after_its_attempts(retryable: None) -> None:
    result = flaky.enqueue("b", 10)
    loop = TaskLoop("test:1", ["default"])
    assert loop.step()
    run_due(loop)
    run_due(loop)
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.FAILED and len(row.worker_ids) == 3
    assert not loop.step()


@pytest.mark.django_db
def test_a_task_that_cannot_be_retried_fails_at_once() -> None:
    cache.clear()
    result = flaky.enqueue("c", 1)
    assert TaskLoop("test:1", ["default"]).step()
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.FAILED


@pytest.mark.django_db
def test_a_task_left_running_by_a_dead_worker_is_queued_again(settings: Any) -> None:
    from techissue.ops.jobs import maintain

    settings.TECHISSUE_HEARTBEAT_SECONDS = 1
    orphan = maintain.enqueue()
    alive = maintain.enqueue()
    long_ago = timezone.now() - timedelta(minutes=5)
    DBTaskResult.objects.filter(pk=orphan.id).update(
        status=TaskResultStatus.RUNNING, started_at=long_ago, worker_ids=["gone:1"]
    )
    DBTaskResult.objects.filter(pk=alive.id).update(
        status=TaskResultStatus.RUNNING, started_at=long_ago, worker_ids=["here:1"]
    )
    beat("here:1", ["tasks"], {})
    assert recover_stuck_tasks() == 1
    assert DBTaskResult.objects.get(pk=orphan.id).status == TaskResultStatus.READY
    assert "gone:1 stopped" in DBTaskResult.objects.get(pk=orphan.id).traceback
    assert DBTaskResult.objects.get(pk=alive.id).status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_old_finished_task_rows_are_pruned(settings: Any) -> None:
    settings.TECHISSUE_TASK_KEEP_DAYS = 7
    old, recent, waiting = flaky.enqueue("d", 0), flaky.enqueue("e", 0), flaky.enqueue("f", 0)
    DBTaskResult.objects.filter(pk__in=[old.id, recent.id]).update(status=TaskResultStatus.SUCCESSFUL)
    DBTaskResult.objects.filter(pk=old.id).update(finished_at=timezone.now() - timedelta(days=8))
    DBTaskResult.objects.filter(pk=recent.id).update(finished_at=timezone.now() - timedelta(days=1))
    assert prune_finished_tasks() == 1
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {
        DBTaskResult.objects.get(pk=recent.id).pk,
        DBTaskResult.objects.get(pk=waiting.id).pk,
    }
