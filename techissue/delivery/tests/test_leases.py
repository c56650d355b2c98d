"""Leases hold: renewed while a batch runs, on the database's clock, and only their holder writes an outcome."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from techissue.delivery import leases
from techissue.delivery.models import Delivery
from techissue.delivery.services import start_send
from techissue.delivery.smtp import Outcome
from techissue.delivery.tests.conftest import make_edition, make_readers
from techissue.delivery.tests.smtpserver import Recorder, SmtpServer
from techissue.delivery.tests.workers import SETUP_SCRIPT, run, start_deliver, worker_env

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_host_whose_clock_runs_700_s_ahead_takes_no_row_that_another_worker_holds(monkeypatch):
    make_readers(10)
    start_send(make_edition())
    held = leases.claim_batch("worker-a", 10, lease_seconds=600)
    assert len(held) == 10
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(seconds=700))
    assert leases.claim_batch("worker-b-ahead", 10, lease_seconds=600) == []
    assert set(Delivery.objects.values_list("claimed_by", flat=True)) == {"worker-a"}


def test_a_host_whose_clock_runs_behind_cannot_keep_an_expired_lease(monkeypatch):
    make_readers(3)
    start_send(make_edition())
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() - timedelta(seconds=700))
    leases.claim_batch("worker-behind", 3, lease_seconds=30)
    monkeypatch.setattr(timezone, "now", real_now)
    Delivery.objects.update(claimed_until=real_now() - timedelta(seconds=1))  # the lease ran out on the DB clock
    assert len(leases.claim_batch("worker-b", 3, lease_seconds=30)) == 3


def test_only_the_current_lease_holder_writes_the_outcome():
    make_readers(1)
    start_send(make_edition())
    (first,) = leases.claim_batch("worker-a", 1, lease_seconds=30)
    Delivery.objects.update(claimed_until=timezone.now() - timedelta(seconds=1))
    (second,) = leases.claim_batch("worker-b", 1, lease_seconds=30)
    assert first.token != second.token
    assert not leases.mark_sent(first, Outcome("sent", 250, "250 ok", "<1@x>"))
    assert not leases.mark_deferred(first, "451 later", 60)
    assert leases.renew([first], 30) == {first.delivery_id}  # worker A learns the row is gone
    row = Delivery.objects.get()
    assert row.status == Delivery.Status.SENDING and row.claimed_by == "worker-b"
    assert leases.mark_sent(second, Outcome("sent", 250, "250 ok", "<1@x>"))
    assert Delivery.objects.get().status == Delivery.Status.SENT


class SlowRecorder(Recorder):
    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        await asyncio.sleep(0.05)
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.slow
def test_two_workers_with_batches_that_outlast_their_lease_send_no_duplicate(tmp_path):
    readers = 120
    with SmtpServer(SlowRecorder()) as server:
        env = worker_env(tmp_path, server.port)
        run(["-m", "techissue", "migrate", "-v0"], env)
        run(["-c", SETUP_SCRIPT.format(count=readers)], env)
        # 60 messages at 50 ms on 2 connections take 1.5 s or more: longer than the 1 s lease.
        options = ("--batch-size", "60", "--lease-seconds", "1", "--connections", "2")
        workers = [start_deliver(env, *options), start_deliver(env, *options)]
        for worker in workers:
            assert worker.wait(timeout=240) == 0, worker.stderr.read().decode() if worker.stderr else ""
    counts = Counter(server.recorder.recipients())
    assert set(counts) == {f"reader{index}@example.test" for index in range(readers)}
    assert max(counts.values()) == 1
