"""Leases on delivery rows, on the database's clock: claim, renew, hand back, and outcomes written by the owner only.

A claim draws a fresh token and stamps it on every row it takes. Renewals, hand-backs and outcomes all say
`WHERE lease_token = <ours>`: once a lease lapsed and another worker took the row, the first worker can no longer
write it, and learns at its next renewal that the row is gone. Every expiry compares with the database's `now`,
so a host whose clock runs ahead or behind cannot take rows early or keep them late.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, Q
from django.db.models.functions import Now
from django.utils import timezone

from techissue.audience.models import Subscriber
from techissue.delivery.models import Delivery, Send
from techissue.delivery.smtp import Outcome


@dataclass(eq=False)  # compared by identity: the pool keeps sets of jobs
class Job:
    delivery_id: int
    edition_id: int
    subscriber: Subscriber
    attempts: int
    token: str


# What a claimed row's sending reads: the message (name, address, token version), the check that the reader
# still receives, and the attempt count. Anything else would cost a query per row: add it here first.
CLAIMED_FIELDS = (
    "edition_id",
    "attempts",
    "subscriber__email",
    "subscriber__name",
    "subscriber__status",
    "subscriber__paused",
    "subscriber__token_version",
    "subscriber__language",
)


def db_now_plus(seconds: float) -> ExpressionWrapper:
    """The database's clock plus `seconds`, as an expression (the host's clock is never asked)."""
    return ExpressionWrapper(Now() + timedelta(seconds=seconds), output_field=DateTimeField())


def claim_batch(worker: str, batch_size: int, lease_seconds: float) -> list[Job]:
    """Lease up to `batch_size` due rows of running sends to `worker`.

    1. Due rows: pending or deferred rows whose time has come, then `sending` rows whose lease expired
       (their worker died: at most its messages in flight may have gone out).
    2. PostgreSQL: `FOR UPDATE SKIP LOCKED`, so concurrent workers take disjoint rows. SQLite: the
       transaction is IMMEDIATE, so claims simply queue behind each other.
    3. Rows whose subscriber stopped receiving since the send started fail as skipped: no path sends to them.
    """
    due = Q(status__in=[Delivery.Status.PENDING, Delivery.Status.DEFERRED]) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=Now())
    )
    expired = Q(status=Delivery.Status.SENDING, claimed_until__lt=Now())
    token = secrets.token_hex(16)
    with transaction.atomic():
        ids: list[int] = []
        # Fresh rows first: a recovered row may be the one a dead worker had in flight, and sending it last
        # keeps it out of the next crash's window, so that no one gets the edition three times.
        for condition in (due, expired):
            rows = Delivery.objects.filter(condition, edition__send__state=Send.State.RUNNING).order_by("pk")
            if connection.vendor == "postgresql":
                rows = rows.select_for_update(skip_locked=True, of=("self",))
            ids += list(rows.values_list("pk", flat=True)[: batch_size - len(ids)])
            if len(ids) >= batch_size:
                break
        if not ids:
            return []
        # Only what sending reads: building model instances is most of the cost of a claim.
        claimed = list(Delivery.objects.filter(pk__in=ids).select_related("subscriber").only(*CLAIMED_FIELDS))
        receiving: list[Delivery] = []
        skipped: list[Delivery] = []
        for row in claimed:
            active = row.subscriber.status == Subscriber.Status.ACTIVE and not row.subscriber.paused
            (receiving if active else skipped).append(row)
        if skipped:
            Delivery.objects.filter(pk__in=[row.pk for row in skipped]).update(
                status=Delivery.Status.FAILED, last_reply="skipped: no longer subscribed", claimed_until=None
            )
        Delivery.objects.filter(pk__in=[row.pk for row in receiving]).update(
            status=Delivery.Status.SENDING,
            claimed_by=worker,
            lease_token=token,
            claimed_until=db_now_plus(lease_seconds),
            attempts=F("attempts") + 1,
        )
    return [Job(row.pk, row.edition_id, row.subscriber, row.attempts + 1, token) for row in receiving]


def renew(jobs: list[Job], lease_seconds: float) -> set[int]:
    """Extend the leases of these jobs; returns the ids of the rows that are no longer ours (cancelled, or taken)."""
    if not jobs:
        return set()
    tokens = {job.token for job in jobs}
    ids = {job.delivery_id for job in jobs}
    held = Delivery.objects.filter(lease_token__in=tokens, status=Delivery.Status.SENDING, pk__in=ids)
    renewed = held.update(claimed_until=db_now_plus(lease_seconds))
    if renewed == len(ids):
        return set()
    return ids - set(held.values_list("pk", flat=True))


def hand_back(jobs: list[Job], delay_seconds: float = 0) -> int:
    """Give rows that were claimed but never tried back to the pool, as if never claimed; returns how many."""
    if not jobs:
        return 0
    by_token: dict[str, list[int]] = {}
    for job in jobs:
        by_token.setdefault(job.token, []).append(job.delivery_id)
    returned = 0
    for token, ids in by_token.items():
        returned += Delivery.objects.filter(pk__in=ids, lease_token=token, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.PENDING,
            claimed_until=None,
            lease_token="",
            attempts=F("attempts") - 1,
            next_attempt_at=db_now_plus(delay_seconds) if delay_seconds > 0 else None,
        )
    return returned


MARK_SENT = (
    "UPDATE {table} SET status = %s, sent_at = %s, last_reply = %s, message_id = %s,"
    " claimed_until = NULL, next_attempt_at = NULL WHERE id = %s AND lease_token = %s"
)


def mark_sent(job: Job, outcome: Outcome) -> bool:
    """One statement in autocommit, on the driver's own cursor (the ORM costs more than the write); False when
    the row is no longer ours. Only the token is checked, not the status: a message accepted after its send was
    cancelled was still delivered, and says so.
    """
    connection.ensure_connection()
    sql = MARK_SENT.format(table=connection.ops.quote_name(Delivery._meta.db_table))
    params = [
        Delivery.Status.SENT.value,
        connection.ops.adapt_datetimefield_value(timezone.now()),  # sent_at is for people; leases never read it
        outcome.reply,
        outcome.message_id[:200],
        job.delivery_id,
        job.token,
    ]
    if connection.vendor == "sqlite":
        return connection.connection.execute(sql.replace("%s", "?"), params).rowcount == 1
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == 1


def mark_sent_many(sent: list[tuple[Job, Outcome]]) -> int:
    """Several `mark_sent` in one transaction (one round trip on PostgreSQL's pipeline); returns rows written."""
    if not sent:
        return 0
    sql = MARK_SENT.format(table=connection.ops.quote_name(Delivery._meta.db_table))
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    params = [
        [Delivery.Status.SENT.value, stamp, outcome.reply, outcome.message_id[:200], job.delivery_id, job.token]
        for job, outcome in sent
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, params)
        return max(cursor.rowcount, 0)


def mark_deferred(job: Job, reply: str, delay_seconds: float) -> bool:
    return bool(
        Delivery.objects.filter(pk=job.delivery_id, lease_token=job.token, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.DEFERRED,
            last_reply=reply,
            next_attempt_at=db_now_plus(delay_seconds),
            claimed_until=None,
        )
    )


def mark_failed(job: Job, reply: str) -> bool:
    return bool(
        Delivery.objects.filter(pk=job.delivery_id, lease_token=job.token, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.FAILED, last_reply=reply, claimed_until=None, next_attempt_at=None
        )
    )
