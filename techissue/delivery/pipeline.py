"""A pooled SMTP sender in one thread: N connections driven in turn, each at a different step of a message.

A message goes through three steps: (1) build it and write MAIL, RCPT and DATA, (2) read those replies and
write the body, (3) write the final dot, read the reply and record it. Each round of the loop writes the
dot of the oldest message whose body went out in an earlier round, starts a message on every free
connection, moves the messages started in earlier rounds to (2), and only then reads the dot's reply.
Every reply is read at least a round after its command went out, so the thread seldom waits; and with
no other thread there is no lock hand-off and no contention for the GIL (threads cost more than they saved).

Only step (3) can make a server accept a message, and it records the reply before the next dot goes
out: a crash loses the record of at most one accepted message, at most one duplicate per crash.
"""

from __future__ import annotations

import contextlib
import enum
import logging
import smtplib
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from techissue.delivery.message import Envelope
from techissue.delivery.smtp import Outcome, SmtpConfig, dot_stuffed, outcome_of, read_open_data, safe_address
from techissue.delivery.throttle import Throttle

log = logging.getLogger(__name__)

Job = TypeVar("Job")


class Step(enum.Enum):
    FREE = "free"
    OPENED = "opened"  # MAIL, RCPT and DATA written, replies not read yet
    BODY_SENT = "body sent"  # everything but the final dot written
    FINISHING = "finishing"  # the final dot written, its reply not read yet: the one message in flight


@dataclass(eq=False)
class Item(Generic[Job]):
    """A job, its message once built, and whether it was started again after its connection broke."""

    job: Job
    envelope: Envelope | None = None
    restarted: bool = False


@dataclass(eq=False)
class Lane(Generic[Job]):
    """One connection and the message on it."""

    connection: smtplib.SMTP | None = None
    used: int = 0
    step: Step = Step.FREE
    item: Item[Job] | None = None
    started_in_round: int = -1


@dataclass(order=True)
class Parked(Generic[Job]):
    """A built message whose recipient's domain (or the overall rate) does not allow it yet."""

    ready_at: float
    order: int
    item: Item[Job] = field(compare=False)


class SmtpPool(Generic[Job]):
    def __init__(
        self, config: SmtpConfig, connections: int = 4, throttle: Throttle | None = None, per_connection: int = 500
    ):
        self.config = config
        self.throttle = throttle or Throttle()
        self.per_connection = per_connection
        self.lanes: list[Lane[Job]] = [Lane() for _ in range(max(1, connections))]

    def send_all(
        self,
        jobs: Iterable[Job],
        build: Callable[[Job], Envelope],
        record: Callable[[Job, Outcome], None],
    ) -> None:
        """Send every job; `record` runs once per job, as soon as its outcome is known."""
        todo: deque[Item[Job]] = deque(Item(job) for job in jobs)
        parked: list[Parked[Job]] = []
        round_number = 0
        try:
            while todo or parked or any(lane.step is not Step.FREE for lane in self.lanes):
                round_number += 1
                # The dot goes first and its reply is read last: the server answers while this thread works.
                finishing = self._send_dot(round_number)
                self._start_messages(todo, parked, build, record, round_number)
                for lane in self.lanes:
                    if lane.step is Step.OPENED and lane.started_in_round < round_number:
                        self._send_body(lane, todo, record, round_number)
                if finishing is not None:
                    self._read_dot_reply(finishing, record)
                self._wait_for_the_rate(todo, parked)
        except BaseException:
            for lane in self.lanes:  # a message without its dot was never delivered: drop it with its connection
                if lane.step is not Step.FREE:
                    self._drop(lane)
                    lane.step, lane.item = Step.FREE, None
            raise

    def close(self) -> None:
        for lane in self.lanes:
            if lane.connection is not None:
                with contextlib.suppress(smtplib.SMTPException, OSError):
                    lane.connection.quit()
                lane.connection = None

    def _start_messages(
        self,
        todo: deque[Item[Job]],
        parked: list[Parked[Job]],
        build: Callable[[Job], Envelope],
        record: Callable[[Job, Outcome], None],
        round_number: int,
    ) -> None:
        for lane in self.lanes:
            while lane.step is Step.FREE:
                item = self._next_message(todo, parked, build, record)
                if item is None:
                    return
                outcome = self._open(lane, item, round_number)
                if outcome is not None:
                    record(item.job, outcome)

    def _next_message(
        self,
        todo: deque[Item[Job]],
        parked: list[Parked[Job]],
        build: Callable[[Job], Envelope],
        record: Callable[[Job, Outcome], None],
    ) -> Item[Job] | None:
        """The next message the rate allows, built; messages that must wait are parked, built, for later."""
        now = time.monotonic()
        if parked and parked[0].ready_at <= now:
            todo.appendleft(parked.pop(0).item)
        while todo:
            item = todo.popleft()
            if item.envelope is None:
                try:
                    item.envelope = build(item.job)
                except Exception as error:  # a message that cannot be built will not build next time either
                    log.exception("cannot build message")
                    record(item.job, Outcome("failed", 0, f"cannot build the message: {error}"[:1000]))
                    continue
            wait = self.throttle.try_acquire(item.envelope.recipient.rpartition("@")[2].lower())
            if wait:
                parked.append(Parked(now + wait, len(parked), item))
                parked.sort()
                continue
            return item
        return None

    def _wait_for_the_rate(self, todo: deque[Item[Job]], parked: list[Parked[Job]]) -> None:
        """Sleep only when nothing is on the wire and every message left is waiting for the rate limit."""
        if todo or not parked or any(lane.step is not Step.FREE for lane in self.lanes):
            return
        time.sleep(min(max(parked[0].ready_at - time.monotonic(), 0.0), 1.0))

    def _connection(self, lane: Lane[Job]) -> smtplib.SMTP:
        if lane.connection is not None and lane.used >= self.per_connection:
            self._drop(lane, polite=True)
        if lane.connection is None:
            lane.connection = self.config.connect()
            lane.used = 0
        return lane.connection

    def _drop(self, lane: Lane[Job], polite: bool = False) -> None:
        connection, lane.connection = lane.connection, None
        if connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                connection.quit() if polite else connection.close()

    def _free(self, lane: Lane[Job]) -> Item[Job]:
        item = lane.item
        assert item is not None
        lane.step, lane.item = Step.FREE, None
        return item

    def _open(self, lane: Lane[Job], item: Item[Job], round_number: int) -> Outcome | None:
        """Step 1: MAIL, RCPT and DATA written (reconnecting once); an outcome when the message went no further."""
        envelope = item.envelope
        assert envelope is not None
        if not safe_address(envelope.sender) or not safe_address(envelope.recipient):
            return Outcome("failed", 0, f"unusable address: {envelope.recipient!r}"[:1000])
        commands = f"MAIL FROM:<{envelope.sender}>\r\nRCPT TO:<{envelope.recipient}>\r\nDATA\r\n".encode("ascii")
        for attempt in (1, 2):
            try:
                connection = self._connection(lane)
                if connection.does_esmtp and connection.has_extn("pipelining"):
                    connection.send(commands)
                    lane.step, lane.item, lane.started_in_round = Step.OPENED, item, round_number
                    return None
                # Without PIPELINING, one command at a time, each reply read at once.
                outcome = read_open_data(connection, envelope, pipelined=False)
                if outcome is not None:
                    return outcome
                connection.send(dot_stuffed(envelope))
                lane.step, lane.item, lane.started_in_round = Step.BODY_SENT, item, round_number
                return None
            except smtplib.SMTPResponseException as error:  # before OSError, its base class
                self._drop(lane)
                return outcome_of(error.smtp_code, error.smtp_error)
            except OSError as error:  # refused, reset, timed out, disconnected: try a fresh connection once
                self._drop(lane)
                if attempt == 2:
                    return Outcome("deferred", 0, f"connection failed: {error}"[:1000])
        raise AssertionError("not reached")

    def _send_body(
        self,
        lane: Lane[Job],
        todo: deque[Item[Job]],
        record: Callable[[Job, Outcome], None],
        round_number: int,
    ) -> None:
        """Step 2: the replies to MAIL, RCPT and DATA, then the body (everything but the final dot)."""
        assert lane.connection is not None and lane.item is not None and lane.item.envelope is not None
        envelope = lane.item.envelope
        try:
            outcome = read_open_data(lane.connection, envelope, pipelined=True)
            if outcome is None:
                lane.connection.send(dot_stuffed(envelope))
                lane.step, lane.started_in_round = Step.BODY_SENT, round_number
                return
        except (smtplib.SMTPException, OSError) as error:
            self._drop(lane)
            item = self._free(lane)
            if not item.restarted:  # no dot went out, so nothing was delivered: start it again, once
                item.restarted = True
                todo.appendleft(item)
                return
            record(item.job, Outcome("deferred", 0, f"connection failed: {error}"[:1000]))
            return
        record(self._free(lane).job, outcome)

    def _send_dot(self, round_number: int) -> Lane[Job] | None:
        """Step 3 begins: the final dot of the oldest message whose body went out in an earlier round."""
        ready = [lane for lane in self.lanes if lane.step is Step.BODY_SENT and lane.started_in_round < round_number]
        if not ready:
            return None
        lane = min(ready, key=lambda candidate: candidate.started_in_round)
        assert lane.connection is not None
        lane.step = Step.FINISHING
        try:
            lane.connection.send(b".\r\n")
        except OSError:
            self._drop(lane)  # the reply cannot be read: `_read_dot_reply` defers it
        return lane

    def _read_dot_reply(self, lane: Lane[Job], record: Callable[[Job, Outcome], None]) -> None:
        """Step 3 ends: the reply to the dot, recorded before any other dot goes out."""
        assert lane.item is not None and lane.item.envelope is not None
        try:
            if lane.connection is None:
                raise smtplib.SMTPServerDisconnected("the connection broke while sending the final dot")
            code, reply = lane.connection.getreply()
            outcome = outcome_of(code, reply, lane.item.envelope.message_id)
            lane.used += 1
        except (smtplib.SMTPException, OSError) as error:
            # Accepted or not, nobody knows: retry later (after the backoff) rather than at once elsewhere.
            self._drop(lane)
            outcome = Outcome("deferred", 0, f"connection lost at the end of the message: {error}"[:1000])
        record(self._free(lane).job, outcome)
