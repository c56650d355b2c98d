"""The sending engine: claim a batch under a lease, send it through the transport, write down each outcome at once."""

from __future__ import annotations

import functools
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from techissue.audience.subscribe import record_bounce
from techissue.delivery import leases
from techissue.delivery.dkimsign import signer_from_settings
from techissue.delivery.leases import Job
from techissue.delivery.message import Envelope, MessageBuilder, PreparedParts
from techissue.delivery.services import finish_if_done
from techissue.delivery.smtp import Outcome
from techissue.delivery.transport import Transport, make_transport
from techissue.delivery.writer import DB_ERRORS, SentWriter, with_database
from techissue.editions.models import Edition

log = logging.getLogger(__name__)

__all__ = ["Engine", "EngineConfig", "Job", "worker_name"]


@dataclass(frozen=True)
class EngineConfig:
    """Tunables, from DELIVERY_* settings when present (the `deliver` command overrides them)."""

    batch_size: int = 200
    lease_seconds: int = 600
    connections: int = 4
    per_connection: int = 500
    max_in_flight: int = 0
    rate_per_second: float = 0
    rate_per_domain: float = 0
    retry_base_seconds: float = 60
    retry_max_seconds: float = 6 * 3600
    breaker_failures: int = 5
    breaker_seconds: float = 30

    @classmethod
    def from_settings(cls, **overrides: float | int | None) -> EngineConfig:
        names = cls.__dataclass_fields__
        values = {name: getattr(settings, f"DELIVERY_{name.upper()}", getattr(cls, name)) for name in names}
        values.update({name: value for name, value in overrides.items() if value is not None})
        return cls(**values)  # type: ignore[arg-type]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def retry_delay(attempts: int, config: EngineConfig) -> float:
    return float(min(config.retry_base_seconds * 2 ** max(attempts - 1, 0), config.retry_max_seconds))


class Engine:
    """One per worker process: keeps its transport's connections and each edition's prepared parts between batches."""

    def __init__(self, config: EngineConfig | None = None, transport: Transport[Job] | None = None):
        self.config = config or EngineConfig.from_settings()
        self.transport: Transport[Job] = transport or make_transport(self.config)
        self.builder = MessageBuilder(signer_from_settings())
        self.prepared: dict[tuple[int, str], tuple[datetime, PreparedParts, Edition]] = {}
        self.worker = worker_name()
        self.stop_event = threading.Event()
        self.writer = SentWriter()

    def edition(self, edition_id: int, language: str = "") -> tuple[PreparedParts, Edition]:
        """The edition rendered once per worker and reader language (again only when the editor changed it)."""
        from techissue.editions.render import prepare_email

        edition = Edition.objects.get(pk=edition_id)
        cached = self.prepared.get((edition_id, language))
        if cached is None or cached[0] != edition.updated_at:
            cached = (edition.updated_at, prepare_email(edition, language or None), edition)
            self.prepared[(edition_id, language)] = cached
        return cached[1], cached[2]

    def paused_for(self) -> float:
        """Seconds the transport's circuit breaker still holds sending back (0 when closed)."""
        return self.transport.breaker.seconds_left() if self.transport.breaker.is_open else 0.0

    def tick(self, stop: threading.Event | None = None) -> bool:
        """Claim one batch and send it; False when there was nothing to do (or the relay is paused).

        `stop` (SIGTERM): no new message starts, those in flight finish, and the rest are handed back.
        """
        stop = stop or self.stop_event
        if stop.is_set() or self.paused_for():
            return False
        jobs = leases.claim_batch(self.worker, self.config.batch_size, self.config.lease_seconds)
        if not jobs:
            return False
        editions: dict[tuple[int, str], tuple[PreparedParts, Edition]] = {}
        claimed = list(jobs)

        def prepare(more: list[Job]) -> None:
            for key in {(job.edition_id, job.subscriber.language) for job in more} - editions.keys():
                editions[key] = self.edition(*key)

        def refill() -> list[Job]:
            more = with_database(
                lambda: leases.claim_batch(self.worker, self.config.batch_size, self.config.lease_seconds)
            )
            assert isinstance(more, list)
            prepare(more)
            claimed.extend(more)
            return more

        prepare(jobs)

        def build(job: Job) -> Envelope:
            prepared, edition = editions[(job.edition_id, job.subscriber.language)]
            return self.builder.build(prepared, job.subscriber, edition.number)

        def record(job: Job, outcome: Outcome) -> None:
            send_by = editions[(job.edition_id, job.subscriber.language)][1].send_by
            with_database(lambda: self.record(job, outcome, send_by))

        def heartbeat(unfinished: list[Job]) -> list[Job]:
            lost = with_database(lambda: leases.renew(unfinished, self.config.lease_seconds))
            assert isinstance(lost, set)
            return [job for job in unfinished if job.delivery_id in lost]

        # On PostgreSQL, accepted messages are recorded in batches on the writer's thread (not inside a
        # transaction, as in some tests: the writer's own connection could not see the rows).
        batched = connection.vendor == "postgresql" and not connection.in_atomic_block
        try:
            left = self.transport.send_all(
                jobs,
                build,
                record,
                stop=stop.is_set,
                heartbeat=heartbeat,
                heartbeat_every=self.config.lease_seconds / 4,
                record_sent=self.writer.submit if batched else None,
                health=self.writer.raise_if_failed,
                refill=refill,
            )
        except BaseException:
            # The database stayed away (or worse): hand back what never started, if it can be reached at all;
            # rows in flight keep their lease, and whoever claims them after it lapses may repeat only those.
            unstarted = getattr(self.transport, "unstarted", [])
            try:
                leases.hand_back(unstarted)
            except DB_ERRORS:
                log.warning(
                    "could not hand back %d unstarted deliveries: they return when their lease ends", len(unstarted)
                )
            raise
        if left:
            delay = self.paused_for()
            returned = with_database(lambda: leases.hand_back(left, delay))
            log.info("handed back %s claimed deliveries (%s)", returned, "relay paused" if delay else "stopping")
        for edition_id in {job.edition_id for job in claimed}:
            with_database(functools.partial(finish_if_done, edition_id))
        return True

    def record(self, job: Job, outcome: Outcome, send_by: datetime | None) -> None:
        """Write one outcome down at once (autocommit): sent, deferred with backoff, or failed and suppressed.

        Only the row's current lease holder writes; a row taken over or cancelled meanwhile is left as it is.
        """
        if outcome.kind == "sent":
            written = leases.mark_sent(job, outcome)
        elif outcome.kind == "deferred" and (
            send_by is None or timezone.now() + timedelta(seconds=retry_delay(job.attempts, self.config)) <= send_by
        ):
            written = leases.mark_deferred(job, outcome.reply, retry_delay(job.attempts, self.config))
        else:
            reply = outcome.reply if outcome.kind == "failed" else f"gave up at the send-by deadline: {outcome.reply}"
            written = leases.mark_failed(job, reply[:1000])
            if written and 500 <= outcome.code < 600:  # a 5xx at send time is a hard bounce
                record_bounce(job.subscriber.email, hard=True, reason=outcome.reply)
        if not written:
            log.warning(
                "delivery %s is no longer ours (%s): its outcome was not written", job.delivery_id, outcome.reply
            )

    def close(self) -> None:
        self.writer.close()
        self.transport.close()


def run_delivery_loop(stop: threading.Event, idle: float = 2.0, engine: Engine | None = None) -> None:
    """Send until `stop` is set: the entry point for worker processes (SIGTERM sets `stop`).

    Database and network errors never end the loop: each episode is logged once, then retried with backoff.
    On stop, the batch in hand finishes what is in flight and hands the rest back; nothing stays `sending`.
    """
    engine = engine or Engine()
    failing_since: float | None = None
    backoff = 1.0
    try:
        while not stop.is_set():
            try:
                busy = engine.tick(stop=stop)
                if failing_since is not None:
                    log.warning("delivery works again after %.0f s", time.monotonic() - failing_since)
                    failing_since, backoff = None, 1.0
            except DatabaseError as error:
                if failing_since is None:
                    failing_since = time.monotonic()
                    log.warning("delivery cannot reach the database (%s); retrying with backoff", error)
                connection.close()
                stop.wait(backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            if not busy:
                stop.wait(min(idle, engine.paused_for() or idle))
    finally:
        engine.close()
