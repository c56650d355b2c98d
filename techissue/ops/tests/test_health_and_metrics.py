"""What an operator can see: liveness and readiness endpoints, Prometheus metrics behind a setting, `status`."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from techissue.delivery.models import Delivery
from techissue.delivery.services import start_send
from techissue.delivery.tests.conftest import make_edition, make_readers
from techissue.ops.heartbeat import beat
from techissue.ops.jobs import fetch_due_feeds

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_the_database(client: Client, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"


def test_readyz_is_ready_when_the_database_answers_and_is_migrated(client: Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200, response.content


def test_readyz_says_which_migrations_are_missing(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db.migrations.executor import MigrationExecutor

    real = MigrationExecutor.migration_plan

    def pretend_unapplied(self: MigrationExecutor, targets: Any, clean_start: bool = False) -> Any:
        node = self.loader.graph.leaf_nodes("ops")[0]
        return [(self.loader.graph.nodes[node], False), *real(self, targets, clean_start)]

    monkeypatch.setattr(MigrationExecutor, "migration_plan", pretend_unapplied)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert b"1 migration(s) not applied: ops.0001_initial" in response.content


def seeded() -> None:
    edition = make_edition()
    make_readers(3)
    start_send(edition)
    Delivery.objects.filter(pk=Delivery.objects.order_by("pk")[0].pk).update(status=Delivery.Status.DEFERRED)
    fetch_due_feeds.enqueue()
    beat("host-a:1", ["deliver"], {"deliver": {"state": "failing", "since": "x", "error": "relay down"}})


def test_metrics_are_off_unless_enabled(client: Client) -> None:
    assert client.get("/metrics").status_code == 404


def test_metrics_answer_only_the_allowed_networks(client: Client, settings: Any) -> None:
    settings.TECHISSUE_METRICS = True
    settings.TECHISSUE_METRICS_ALLOW = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200


def test_metrics_count_deliveries_queues_and_failing_loops(client: Client, settings: Any) -> None:
    settings.TECHISSUE_METRICS = True
    seeded()
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    text = response.content.decode()
    assert 'techissue_deliveries{status="pending"} 2' in text
    assert 'techissue_deliveries{status="deferred"} 1' in text
    assert "techissue_deferrals 1" in text
    assert 'techissue_task_queue_depth{queue="fetch"} 1' in text
    assert "techissue_workers_alive 1" in text
    assert "techissue_worker_loops_failing 1" in text
    assert "# TYPE techissue_curation_seconds gauge" in text


def test_status_shows_workers_queues_deliveries_and_the_next_edition() -> None:
    seeded()
    out = StringIO()
    call_command("status", stdout=out)
    text = out.getvalue()
    assert "host-a:1  alive" in text
    assert "deliver    failing since x: relay down" in text
    assert "tasks: waiting fetch 1" in text
    assert "deliveries: deferred 1, pending 2" in text
    assert "next edition: none scheduled" in text
    out = StringIO()
    call_command("status", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["deliveries"] == {"deferred": 1, "pending": 2}
    assert data["workers"][0]["alive"] is True
