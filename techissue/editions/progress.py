"""A send as the editor watches it: counts, the rate over the last minute, and the time left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from techissue.editions.models import Edition

RATE_WINDOW = timedelta(seconds=60)


@dataclass(frozen=True)
class SendStatus:
    state: str  # the Send's state (running, paused, cancelled, done), or "" before any send
    total: int
    sent: int
    deferred: int
    failed: int
    waiting: int  # pending or being sent now
    per_minute: float
    seconds_left: int | None  # None when nothing moves (paused, or no rate yet)

    @property
    def done_share(self) -> int:
        """Percent of rows that have ended (sent or failed)."""
        return round(100 * (self.sent + self.failed) / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.state in {"done", "cancelled"}


def send_status(edition: Edition, now: datetime | None = None) -> SendStatus:
    """Counts from delivery's rows; the rate from the messages sent within the last minute."""
    from techissue.delivery.models import Delivery, Send
    from techissue.delivery.services import send_progress

    now = now or timezone.now()
    counts = send_progress(edition)
    send = Send.objects.filter(edition=edition).only("state", "started_at").first()
    window_start = max(now - RATE_WINDOW, send.started_at) if send else now - RATE_WINDOW
    recent = Delivery.objects.filter(edition=edition, status=Delivery.Status.SENT, sent_at__gt=window_start).count()
    seconds = max((now - window_start).total_seconds(), 1.0)
    per_minute = recent * 60 / seconds
    open_rows = counts["pending"] + counts["sending"] + counts["deferred"]
    running = send is not None and send.state == Send.State.RUNNING
    seconds_left = round(open_rows * 60 / per_minute) if running and per_minute and open_rows else None
    return SendStatus(
        state=send.state if send else "",
        total=counts["total"],
        sent=counts["sent"],
        deferred=counts["deferred"],
        failed=counts["failed"],
        waiting=counts["pending"] + counts["sending"],
        per_minute=round(per_minute, 1),
        seconds_left=seconds_left,
    )
