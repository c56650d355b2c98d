"""Control of an edition's send: start, progress, pause, resume, cancel (called by techissue.editions.lifecycle only)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from techissue.audience.models import Subscriber
from techissue.delivery.models import Delivery, Send
from techissue.editions.models import Edition

log = logging.getLogger(__name__)

INSERT_CHUNK = 2000
OPEN_STATUSES = (Delivery.Status.PENDING, Delivery.Status.SENDING, Delivery.Status.DEFERRED)


def start_send(edition: Edition) -> int:
    """Create one pending Delivery per active subscriber (idempotent) and let workers send; returns the total.

    Calling it again adds only people who became active since, and never a second row for anyone.
    """
    with transaction.atomic():
        send, _created = Send.objects.get_or_create(edition=edition)
        if send.state == Send.State.DONE:
            send.state = Send.State.RUNNING
            send.finished_at = None
            send.save(update_fields=["state", "finished_at"])
    subscriber_ids = (
        Subscriber.objects.receiving().order_by("pk").values_list("pk", flat=True).iterator(chunk_size=INSERT_CHUNK)
    )
    chunk: list[Delivery] = []
    for subscriber_id in subscriber_ids:
        chunk.append(Delivery(edition_id=edition.pk, subscriber_id=subscriber_id))
        if len(chunk) >= INSERT_CHUNK:
            Delivery.objects.bulk_create(chunk, ignore_conflicts=True)
            chunk = []
    if chunk:
        Delivery.objects.bulk_create(chunk, ignore_conflicts=True)
    total = Delivery.objects.filter(edition=edition).count()
    log.info("send of edition %s started: %s deliveries", edition.pk, total)
    return total


def send_progress(edition: Edition) -> dict[str, int]:
    """Counts by status: total, pending, sending, sent, deferred, failed."""
    counts = {status: 0 for status in Delivery.Status.values}
    for row in Delivery.objects.filter(edition=edition).values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return {"total": sum(counts.values()), **counts}


def set_send_state(edition: Edition, state: str) -> bool:
    updated = (
        Send.objects.filter(edition=edition)
        .exclude(state__in=[Send.State.DONE, Send.State.CANCELLED])
        .update(state=state)
    )
    return bool(updated)


def pause_send(edition: Edition) -> bool:
    """Workers stop claiming this edition's rows (a batch already claimed finishes)."""
    return set_send_state(edition, Send.State.PAUSED)


def resume_send(edition: Edition) -> bool:
    return set_send_state(edition, Send.State.RUNNING)


def cancel_send(edition: Edition) -> int:
    """Stop for good: every row not yet sent fails with 'cancelled'; returns how many were cancelled.

    Rows a worker holds (`sending`) end too: the worker learns at its next lease renewal and starts none of
    them; a message already on the wire that the relay then accepts is still recorded as sent.
    """
    with transaction.atomic():
        Send.objects.filter(edition=edition).update(state=Send.State.CANCELLED, finished_at=timezone.now())
        cancelled = Delivery.objects.filter(edition=edition, status__in=OPEN_STATUSES).update(
            status=Delivery.Status.FAILED, last_reply="cancelled", next_attempt_at=None, claimed_until=None
        )
    return cancelled


def finish_if_done(edition_id: int) -> bool:
    """Mark the send done once no row is open and report it to editions (which marks the edition sent)."""
    from techissue.editions.lifecycle import report_send_progress

    if Delivery.objects.filter(edition_id=edition_id, status__in=OPEN_STATUSES).exists():
        return False
    now = timezone.now()
    with transaction.atomic():
        finished = Send.objects.filter(edition_id=edition_id, state=Send.State.RUNNING).update(
            state=Send.State.DONE, finished_at=now
        )
        if finished:
            report_send_progress(edition_id, finished=True, now=now)
    return bool(finished)
