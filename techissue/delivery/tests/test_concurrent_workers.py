"""Three workers on PostgreSQL at once share one send without sending anyone the edition twice."""

from __future__ import annotations

from collections import Counter
from urllib.parse import quote

import pytest
from django.db import connection

from techissue.delivery.services import send_progress, start_send
from techissue.delivery.tests.conftest import make_edition, make_readers
from techissue.delivery.tests.smtpserver import SmtpServer
from techissue.delivery.tests.workers import start_deliver, worker_env

pytestmark = pytest.mark.django_db(transaction=True)


def database_url() -> str:
    config = connection.settings_dict
    credentials = quote(config["USER"] or "", safe="")
    if config["PASSWORD"]:
        credentials += ":" + quote(config["PASSWORD"], safe="")
    return f"postgres://{credentials}@{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}/{config['NAME']}"


def test_three_workers_on_postgresql_send_no_duplicate(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED needs PostgreSQL (run with DATABASE_URL=postgres://…)")
    readers = make_readers(300)
    edition = make_edition()
    start_send(edition)
    connection.close()  # let the workers have the database to themselves
    with SmtpServer() as server:
        env = worker_env(tmp_path, server.port, database_url())
        workers = [start_deliver(env, "--batch-size", "7", "--connections", "2") for _ in range(3)]
        for worker in workers:
            assert worker.wait(timeout=240) == 0, worker.stderr.read().decode() if worker.stderr else ""
    counts = Counter(server.recorder.recipients())
    assert set(counts) == {reader.email for reader in readers}
    assert max(counts.values()) == 1
    assert send_progress(edition)["sent"] == 300
