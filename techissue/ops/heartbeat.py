"""Each worker's heartbeat row: when the database last heard of it, its roles and the state of its loops."""

from __future__ import annotations

import os
import socket
from datetime import timedelta
from typing import Any

from django.db.models.functions import Now
from django.utils import timezone

from techissue.ops.models import WorkerBeat


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


def beat(worker: str, roles: list[str], loops: dict[str, Any], running_task: str = "") -> None:
    """Record that `worker` is alive now (the database's clock), with the state of each loop."""
    updated = WorkerBeat.objects.filter(worker_id=worker).update(
        seen_at=Now(), loops=loops, roles=",".join(roles), running_task=running_task
    )
    if not updated:
        WorkerBeat.objects.create(
            worker_id=worker,
            host=socket.gethostname()[:255],
            pid=os.getpid(),
            roles=",".join(roles),
            started_at=timezone.now(),
            seen_at=timezone.now(),
            loops=loops,
            running_task=running_task,
        )
        WorkerBeat.objects.filter(worker_id=worker).update(seen_at=Now())


def sign_off(worker: str) -> None:
    """A worker that stops cleanly removes its row, so that `status` lists only the living and the lost."""
    WorkerBeat.objects.filter(worker_id=worker).delete()


def prune_heartbeats() -> int:
    """Forget workers not heard of for a day."""
    deleted, _ = WorkerBeat.objects.filter(seen_at__lt=Now() - timedelta(days=1)).delete()
    return deleted
