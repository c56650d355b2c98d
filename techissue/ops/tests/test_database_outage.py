"""Drills on PostgreSQL through a proxy the test cuts: a worker rides out an outage and one that predates the database."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from techissue.delivery.tests.smtpserver import SmtpServer
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

pytestmark = pytest.mark.django_db(transaction=True)
READERS = 3


@pytest.fixture(autouse=True)
def postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a database outage drill needs PostgreSQL behind a proxy")


def test_it_sends_a_scheduled_edition_after_a_ten_second_outage(tmp_path: Path) -> None:
    edition = scheduled_edition(READERS, in_seconds=5)
    log = tmp_path / "worker.log"
    with SmtpServer() as smtp, TcpProxy(upstream()) as proxy:
        worker = start_worker(worker_env(tmp_path, proxied_database_url(proxy.port), smtp.port), log=log)
        try:
            assert wait_for(lambda: WorkerBeat.objects.exists(), timeout=60), log.read_text()
            proxy.cut()
            time.sleep(10)  # the outage; the edition falls due in the middle of it
            assert worker.poll() is None, log.read_text()
            proxy.restore()
            assert wait_for(lambda: all_sent(edition, READERS), timeout=60), log.read_text()
            assert sorted(smtp.recorder.recipients()) == [f"reader{i}@example.test" for i in range(READERS)]
        finally:
            code = stop_worker(worker)
    text = log.read_text()
    assert code == 0, text
    # Each loop said once that it was failing, and once that it recovered, however many tries it took.
    for loop in ("tasks", "scheduler"):
        assert text.count(f"{loop} loop failing") == 1, text
        assert text.count(f"{loop} loop recovered") == 1, text


def test_a_worker_started_before_the_database_runs_its_tasks_once_it_is_up(tmp_path: Path) -> None:
    edition = scheduled_edition(READERS, in_seconds=2)
    with socket.socket() as sock:  # a port nobody listens on yet: the database is "not up"
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path / "worker.log"
    with SmtpServer() as smtp:
        proxy = TcpProxy(upstream(), port=port)
        worker = start_worker(worker_env(tmp_path, proxied_database_url(port), smtp.port), log=log)
        try:
            time.sleep(5)
            assert worker.poll() is None, log.read_text()
            assert not WorkerBeat.objects.exists()
            proxy.restore()
            assert wait_for(lambda: all_sent(edition, READERS), timeout=60), log.read_text()
            assert DBTaskResult.objects.successful().filter(task_path__endswith="run_app_tick").exists()
        finally:
            code = stop_worker(worker)
            proxy.cut()
    assert code == 0, log.read_text()
