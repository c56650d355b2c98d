"""What workers tell each other through the database: who is alive, and which periodic runs are taken."""

from __future__ import annotations

from django.db import models


class WorkerBeat(models.Model):
    """One row per running worker process, touched every few seconds with the database's clock."""

    worker_id = models.CharField(max_length=100, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    roles = models.CharField(max_length=100)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)
    # name -> {"state": "ok" | "failing" | "stopped", "since": ISO time, "error": text}
    loops = models.JSONField(default=dict)
    running_task = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return self.worker_id


class PeriodSlot(models.Model):
    """A periodic job's run for one period: the unique key is what makes it happen once across all workers."""

    job = models.CharField(max_length=40)
    slot = models.BigIntegerField()
    worker_id = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="ops_periodslot_once_per_period")]

    def __str__(self) -> str:
        return f"{self.job}@{self.slot}"
