"""The sending engine: claim a batch of deliveries under a lease, send it, write down each outcome at once."""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from techissue.audience.models import Subscriber
from techissue.audience.subscribe import record_bounce
from techissue.delivery.dkimsign import signer_from_settings
from techissue.delivery.message import Envelope, MessageBuilder, PreparedParts
from techissue.delivery.models import Delivery, Send
from techissue.delivery.pipeline import SmtpPool
from techissue.delivery.services import finish_if_done
from techissue.delivery.smtp import Outcome, SmtpConfig
from techissue.delivery.throttle import Throttle
from techissue.editions.models import Edition

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EngineConfig:
    """Tunables, from DELIVERY_* settings when present (the `deliver` command overrides them)."""

    batch_size: int = 200
    lease_seconds: int = 600
    connections: int = 4
    per_connection: int = 500
    rate_per_second: float = 0
    rate_per_domain: float = 0
    retry_base_seconds: float = 60
    retry_max_seconds: float = 6 * 3600

    @classmethod
    def from_settings(cls, **overrides: float | int | None) -> EngineConfig:
        names = cls.__dataclass_fields__
        values = {name: getattr(settings, f"DELIVERY_{name.upper()}", getattr(cls, name)) for name in names}
        values.update({name: value for name, value in overrides.items() if value is not None})
        return cls(**values)  # type: ignore[arg-type]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


@dataclass
class Job:
    delivery_id: int
    edition_id: int
    subscriber: Subscriber
    attempts: int


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


def claim_batch(worker: str, config: EngineConfig, now: datetime) -> list[Job]:
    """Lease up to `batch_size` due rows of running sends to `worker`.

    1. Due rows: pending or deferred rows whose time has come, then `sending` rows whose lease expired
       (their worker died: at most its one in-flight message may have gone out).
    2. PostgreSQL: `FOR UPDATE SKIP LOCKED`, so concurrent workers take disjoint rows. SQLite: the
       transaction is IMMEDIATE, so claims simply queue behind each other.
    3. Rows whose subscriber stopped receiving since the send started fail as skipped: no path sends to them.
    """
    due = Q(status__in=[Delivery.Status.PENDING, Delivery.Status.DEFERRED]) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    expired = Q(status=Delivery.Status.SENDING, claimed_until__lt=now)
    with transaction.atomic():
        ids: list[int] = []
        # Fresh rows first: a recovered row may be the one a dead worker had in flight, and sending it last
        # keeps it out of the next crash's window, so that no one gets the edition three times.
        for condition in (due, expired):
            rows = Delivery.objects.filter(condition, edition__send__state=Send.State.RUNNING).order_by("pk")
            if connection.vendor == "postgresql":
                rows = rows.select_for_update(skip_locked=True, of=("self",))
            ids += list(rows.values_list("pk", flat=True)[: config.batch_size - len(ids)])
            if len(ids) >= config.batch_size:
                break
        if not ids:
            return []
        # Only what sending reads: building model instances is most of the cost of a claim.
        claimed = list(Delivery.objects.filter(pk__in=ids).select_related("subscriber").only(*CLAIMED_FIELDS))
        receiving = [
            row for row in claimed if row.subscriber.status == Subscriber.Status.ACTIVE and not row.subscriber.paused
        ]
        skipped = [
            row.pk for row in claimed if row.subscriber.status != Subscriber.Status.ACTIVE or row.subscriber.paused
        ]
        if skipped:
            Delivery.objects.filter(pk__in=skipped).update(
                status=Delivery.Status.FAILED, last_reply="skipped: no longer subscribed", claimed_until=None
            )
        Delivery.objects.filter(pk__in=[row.pk for row in receiving]).update(
            status=Delivery.Status.SENDING,
            claimed_by=worker,
            claimed_until=now + timedelta(seconds=config.lease_seconds),
            attempts=F("attempts") + 1,
        )
    return [Job(row.pk, row.edition_id, row.subscriber, row.attempts + 1) for row in receiving]


def retry_at(attempts: int, config: EngineConfig, now: datetime) -> datetime:
    delay = min(config.retry_base_seconds * 2 ** max(attempts - 1, 0), config.retry_max_seconds)
    return now + timedelta(seconds=delay)


MARK_SENT = (
    "UPDATE {table} SET status = %s, sent_at = %s, last_reply = %s, message_id = %s,"
    " claimed_until = NULL, next_attempt_at = NULL WHERE id = %s"
)


def mark_sent(delivery_id: int, outcome: Outcome, now: datetime) -> None:
    """One statement in autocommit, on the driver's own cursor: this runs once per message while no other
    message may finish (see `pipeline`), and the ORM's `update()` and even Django's cursor wrapper cost
    more than SQLite takes to run and commit it.
    """
    connection.ensure_connection()
    sql = MARK_SENT.format(table=connection.ops.quote_name(Delivery._meta.db_table))
    params = [
        Delivery.Status.SENT.value,
        connection.ops.adapt_datetimefield_value(now),
        outcome.reply,
        outcome.message_id[:200],
        delivery_id,
    ]
    if connection.vendor == "sqlite":
        connection.connection.execute(sql.replace("%s", "?"), params)
        return
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def record_outcome(job: Job, outcome: Outcome, config: EngineConfig, send_by: datetime | None) -> None:
    """Write one outcome down at once (autocommit): sent, deferred with backoff, or failed and suppressed."""
    now = timezone.now()
    if outcome.kind == "sent":
        mark_sent(job.delivery_id, outcome, now)
        return
    rows = Delivery.objects.filter(pk=job.delivery_id)
    if outcome.kind == "deferred":
        next_attempt = retry_at(job.attempts, config, now)
        if send_by is None or next_attempt <= send_by:
            rows.update(
                status=Delivery.Status.DEFERRED,
                last_reply=outcome.reply,
                next_attempt_at=next_attempt,
                claimed_until=None,
            )
            return
        outcome = Outcome("failed", outcome.code, f"gave up at the send-by deadline: {outcome.reply}"[:1000])
    rows.update(status=Delivery.Status.FAILED, last_reply=outcome.reply, claimed_until=None, next_attempt_at=None)
    if 500 <= outcome.code < 600:  # a 5xx at send time is a hard bounce
        record_bounce(job.subscriber.email, hard=True, reason=outcome.reply)


class Engine:
    """One per worker process: keeps its SMTP connections and each edition's prepared parts between batches."""

    def __init__(self, config: EngineConfig | None = None, smtp: SmtpConfig | None = None):
        self.config = config or EngineConfig.from_settings()
        self.pool: SmtpPool[Job] = SmtpPool(
            smtp or SmtpConfig.from_settings(),
            connections=self.config.connections,
            throttle=Throttle(self.config.rate_per_second, self.config.rate_per_domain),
            per_connection=self.config.per_connection,
        )
        self.builder = MessageBuilder(signer_from_settings())
        self.prepared: dict[tuple[int, str], tuple[datetime, PreparedParts, Edition]] = {}
        self.worker = worker_name()

    def edition(self, edition_id: int, language: str = "") -> tuple[PreparedParts, Edition]:
        """The edition rendered once per worker and reader language (again only when the editor changed it)."""
        from techissue.editions.render import prepare_email

        edition = Edition.objects.get(pk=edition_id)
        cached = self.prepared.get((edition_id, language))
        if cached is None or cached[0] != edition.updated_at:
            cached = (edition.updated_at, prepare_email(edition, language or None), edition)
            self.prepared[(edition_id, language)] = cached
        return cached[1], cached[2]

    def tick(self, now: datetime | None = None) -> bool:
        """Claim one batch and send it; False when there was nothing to do."""
        jobs = claim_batch(self.worker, self.config, now or timezone.now())
        if not jobs:
            return False
        wanted = {(job.edition_id, job.subscriber.language) for job in jobs}
        editions = {key: self.edition(*key) for key in wanted}

        def build(job: Job) -> Envelope:
            prepared, edition = editions[(job.edition_id, job.subscriber.language)]
            return self.builder.build(prepared, job.subscriber, edition.number)

        def record(job: Job, outcome: Outcome) -> None:
            send_by = editions[(job.edition_id, job.subscriber.language)][1].send_by
            record_outcome(job, outcome, self.config, send_by)

        self.pool.send_all(jobs, build, record)
        for edition_id in {job.edition_id for job in jobs}:
            finish_if_done(edition_id)
        return True

    def close(self) -> None:
        self.pool.close()
