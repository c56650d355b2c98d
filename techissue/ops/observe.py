"""What an operator looks at: readiness, a snapshot of the whole system, and that snapshot as Prometheus metrics."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Max, Min
from django.db.models.functions import Now
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from techissue.ops.loops import describe
from techissue.ops.models import WorkerBeat


def readiness_problems() -> list[str]:
    """Why this process should not get traffic yet: the database unreachable, or migrations not applied."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:
        connection.close()
        return [f"database unreachable: {describe(error)}"]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{migration.app_label}.{migration.name}" for migration, _backwards in plan[:5])
        return [f"{len(plan)} migration(s) not applied: {names}"]
    return []


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def counts(queryset: Any, field: str) -> dict[str, int]:
    return {row[field]: row["n"] for row in queryset.values(field).annotate(n=Count("pk")).order_by(field)}


def workers() -> list[dict[str, Any]]:
    """Each worker's heartbeat, by the database's clock: age in seconds, and whether it counts as alive."""
    dead_after = settings.TECHISSUE_HEARTBEAT_SECONDS * 6
    rows = WorkerBeat.objects.annotate(now=Now()).order_by("worker_id")
    result = []
    for row in rows:
        age = max(0.0, (row.now - row.seen_at).total_seconds())
        result.append(
            {
                "worker": row.worker_id,
                "roles": row.roles.split(",") if row.roles else [],
                "started_at": _iso(row.started_at),
                "seen_seconds_ago": round(age, 1),
                "alive": age <= dead_after,
                "loops": row.loops,
                "running_task": row.running_task,
            }
        )
    return result


def last_curation() -> dict[str, Any] | None:
    """The last curation that ran (not one that only coalesced or deferred), with its duration."""
    rows = DBTaskResult.objects.filter(
        task_path="techissue.ops.jobs.curate_now", status=TaskResultStatus.SUCCESSFUL
    ).order_by("-finished_at")
    for row in rows[:20]:
        value = row.return_value or {}
        if isinstance(value, dict) and "seconds" in value:
            return {"finished_at": _iso(row.finished_at), "seconds": value["seconds"], "new": value.get("new", 0)}
    return None


def snapshot() -> dict[str, Any]:
    """Everything `techissue status` prints and `/metrics` exports, in a few queries."""
    from techissue.delivery.models import Delivery
    from techissue.editions.models import Edition
    from techissue.sources.models import Feed

    now = timezone.now()
    tasks = DBTaskResult.objects.all()
    next_edition = Edition.objects.filter(status=Edition.Status.SCHEDULED).order_by("scheduled_at").first()
    fetched = Feed.objects.aggregate(last=Max("last_fetched_at"), next=Min("next_fetch_at"))
    return {
        "workers": workers(),
        "tasks": {
            "waiting": counts(tasks.filter(status=TaskResultStatus.READY), "queue_name"),
            "running": tasks.filter(status=TaskResultStatus.RUNNING).count(),
            "failed_last_day": tasks.filter(
                status=TaskResultStatus.FAILED, finished_at__gte=now - timedelta(days=1)
            ).count(),
        },
        "deliveries": counts(Delivery.objects.all(), "status"),
        "sent_last_minute": Delivery.objects.filter(sent_at__gte=now - timedelta(minutes=1)).count(),
        "feeds": counts(Feed.objects.all(), "status"),
        "last_fetch_at": _iso(fetched["last"]),
        "last_curation": last_curation(),
        "next_edition": (
            {
                "number": next_edition.number,
                "title": next_edition.title,
                "scheduled_at": _iso(next_edition.scheduled_at),
            }
            if next_edition
            else None
        ),
    }


def _labels(**labels: str) -> str:
    inner = ",".join(f'{key}="{value}"' for key, value in labels.items())
    return "{" + inner + "}" if inner else ""


def prometheus(data: dict[str, Any]) -> str:
    """The snapshot in Prometheus' text exposition format (version 0.0.4)."""
    lines: list[str] = []

    def metric(name: str, kind: str, help_text: str, samples: list[tuple[dict[str, str], float]]) -> None:
        lines.append(f"# HELP {name} {help_text}")
        lines.append(f"# TYPE {name} {kind}")
        lines.extend(f"{name}{_labels(**labels)} {value:g}" for labels, value in samples)

    from techissue.delivery.models import Delivery

    deliveries = {status: data["deliveries"].get(status, 0) for status in Delivery.Status.values}
    metric(
        "techissue_deliveries",
        "gauge",
        "Deliveries by status.",
        [({"status": s}, n) for s, n in deliveries.items()],
    )
    metric(
        "techissue_send_rate",
        "gauge",
        "Messages sent per second over the last minute.",
        [({}, data["sent_last_minute"] / 60)],
    )
    metric("techissue_deferrals", "gauge", "Deliveries waiting to retry after a 4xx.", [({}, deliveries["deferred"])])
    metric("techissue_feed_errors", "gauge", "Feeds whose last fetch failed.", [({}, data["feeds"].get("error", 0))])
    queues = {"default": 0, "fetch": 0, "curate": 0, **data["tasks"]["waiting"]}
    metric(
        "techissue_task_queue_depth",
        "gauge",
        "Tasks waiting to run, by queue.",
        [({"queue": q}, n) for q, n in sorted(queues.items())],
    )
    metric("techissue_tasks_running", "gauge", "Tasks running now.", [({}, data["tasks"]["running"])])
    curation = data["last_curation"] or {}
    metric(
        "techissue_curation_seconds",
        "gauge",
        "How long the last curation took.",
        [({}, float(curation.get("seconds", 0)))],
    )
    alive = sum(1 for worker in data["workers"] if worker["alive"])
    metric("techissue_workers_alive", "gauge", "Workers whose heartbeat is recent.", [({}, alive)])
    failing = sum(
        1
        for worker in data["workers"]
        if worker["alive"]
        for loop in worker["loops"].values()
        if loop.get("state") != "ok"
    )
    metric("techissue_worker_loops_failing", "gauge", "Loops of live workers not in the ok state.", [({}, failing)])
    return "\n".join(lines) + "\n"
