"""The SMTP pool: N connections driven by one thread through a selector, one message in flight on each.

Each connection (a lane) goes MAIL, RCPT, DATA (written in one go with PIPELINING), then the body and the final
dot, then waits for the relay's reply while the other lanes work: with a relay that takes 20 ms to answer each
message, N lanes send about N messages per 20 ms. Each reply is recorded the moment it arrives, before that lane
starts another message, so a crash repeats at most the one message in flight on each connection.

Connections are opened in helper threads (a relay that accepts but never greets costs that lane its connect
timeout, not the others), every wait for a reply has a deadline of its own (a stall costs only its connection),
and the circuit breaker stops new messages after repeated failures. 421 and 451 replies lower the rate.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import heapq
import logging
import selectors
import smtplib
import socket
import ssl
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from techissue.delivery.breaker import CircuitBreaker
from techissue.delivery.message import Envelope
from techissue.delivery.smtp import Outcome, SmtpConfig, dot_stuffed, outcome_of, safe_address
from techissue.delivery.throttle import RELAY, Throttle

log = logging.getLogger(__name__)

Job = TypeVar("Job")
WOULD_BLOCK = (BlockingIOError, InterruptedError, ssl.SSLWantReadError, ssl.SSLWantWriteError)
EXPECTED = (250, 250, 354)  # the replies to MAIL, RCPT and DATA that let a message go on


class Phase(enum.Enum):
    DEAD = "no connection"
    CONNECTING = "connecting"
    IDLE = "idle"
    OPENING = "MAIL, RCPT, DATA"  # their replies awaited
    FINISHING = "body and dot"  # the one message in flight: its reply decides
    RESETTING = "RSET"  # after a refusal, before the next message


@dataclass(eq=False)
class Item(Generic[Job]):
    """A job, its message once built, and whether it was started again after its connection broke."""

    job: Job
    envelope: Envelope | None = None
    restarted: bool = False


@dataclass(eq=False)
class Lane(Generic[Job]):
    """One connection and the message on it."""

    index: int
    phase: Phase = Phase.DEAD
    smtp: smtplib.SMTP | None = None
    sock: socket.socket | None = None
    future: Future[smtplib.SMTP] | None = None
    pipelining: bool = False
    item: Item[Job] | None = None
    # With PIPELINING, the next message's MAIL, RCPT and DATA go out right behind the final dot of this one.
    next_item: Item[Job] | None = None
    inbuf: bytearray = field(default_factory=bytearray)
    outbuf: bytes = b""
    lines: list[str] = field(default_factory=list)
    replies: list[tuple[int, str]] = field(default_factory=list)
    queued: list[bytes] = field(default_factory=list)
    waiting: int = 0
    deadline: float = 0.0
    retry_at: float = 0.0
    connect_failures: int = 0
    used: int = 0
    # The accepted message's record is being written (see `record_sent`): the lane sends no body until it is.
    recording: bool = False
    body_waiting: bool = False


@dataclass(order=True)
class Parked(Generic[Job]):
    """A built message whose recipient's domain (or the overall rate) does not allow it yet."""

    ready_at: float
    order: int
    item: Item[Job] = field(compare=False)


Heartbeat = Callable[[list[Job]], Iterable[Job]]
# Writes a `sent` outcome on another thread and calls the callback (from that thread) once it is committed.
RecordSent = Callable[[Job, Outcome, Callable[[], None]], None]


class SmtpPool(Generic[Job]):
    def __init__(
        self,
        config: SmtpConfig,
        connections: int = 4,
        throttle: Throttle | None = None,
        per_connection: int = 500,
        max_in_flight: int = 0,
        breaker: CircuitBreaker | None = None,
    ):
        self.config = config
        self.throttle = throttle or Throttle()
        self.per_connection = per_connection
        self.lanes: list[Lane[Job]] = [Lane(index) for index in range(max(1, connections))]
        self.max_in_flight = max_in_flight or len(self.lanes)
        self.breaker = breaker or CircuitBreaker(f"{config.host}:{config.port}")
        self.selector = selectors.DefaultSelector()
        self.wake_reader, self.wake_writer = socket.socketpair()
        self.wake_reader.setblocking(False)
        self.wake_writer.setblocking(False)
        self.selector.register(self.wake_reader, selectors.EVENT_READ, None)
        self.executor = ThreadPoolExecutor(max_workers=len(self.lanes), thread_name_prefix="smtp-connect")
        self.counter = 0
        self.starting = False
        self.unstarted: list[Job] = []  # after send_all raised: the jobs it never started
        self.recorded: deque[Lane[Job]] = deque()  # lanes whose record was written, filled by the writer thread
        self.record_sent: RecordSent[Job] | None = None

    # -- the loop ---------------------------------------------------------------------------------------------

    def send_all(
        self,
        jobs: Iterable[Job],
        build: Callable[[Job], Envelope],
        record: Callable[[Job, Outcome], None],
        stop: Callable[[], bool] = lambda: False,
        heartbeat: Heartbeat[Job] | None = None,
        heartbeat_every: float = 10.0,
        record_sent: RecordSent[Job] | None = None,
        health: Callable[[], None] = lambda: None,
        refill: Callable[[], list[Job]] | None = None,
    ) -> list[Job]:
        """Send every job; `record` runs once per job, as soon as its outcome is known.

        With `record_sent`, accepted messages are recorded through it instead (batched on a writer thread,
        so that one database round trip does not hold up every connection); each lane waits for its own
        record before the next message's body goes out, which keeps one unrecorded message per connection.

        Returns the jobs never started: when `stop()` turned true, when the breaker opened, or when `heartbeat`
        (called every `heartbeat_every` seconds with the jobs not finished) named them as no longer ours.
        """
        self.unstarted = []
        self.record_sent = record_sent
        self.todo: deque[Item[Job]] = deque(Item(job) for job in jobs)
        self.parked: list[Parked[Job]] = []
        self.build, self.record = build, record
        next_beat = time.monotonic() + heartbeat_every
        next_refill = 0.0
        try:
            while True:
                now = time.monotonic()
                if heartbeat is not None and now >= next_beat:
                    self._drop_lost(set(heartbeat(self._unfinished())))
                    next_beat = time.monotonic() + heartbeat_every
                starting = self.starting = not stop() and not self.breaker.is_open
                if starting:
                    self._start_messages()
                    dry = refill is not None and not self.todo and not self.parked and now >= next_refill
                    if dry and any(lane.item is None and not lane.recording for lane in self.lanes):
                        assert refill is not None
                        more = refill()
                        self.todo.extend(Item(job) for job in more)
                        next_refill = 0.0 if more else now + 1.0
                        self._start_messages()
                    self._open_connections()
                busy = any(lane.item is not None or lane.recording for lane in self.lanes)
                if not busy and (not starting or not (self.todo or self.parked)):
                    break
                self._wait(min(next_beat, self._next_deadline()) - time.monotonic())
                health()  # the writer's failure, raised here
                self._check_recorded()
                self._check_connections()
                self._check_deadlines()
        except BaseException:
            # Never started (they may go back to the pool at once): the queue, and messages whose MAIL went out
            # behind another's dot but whose body did not.
            self.unstarted = [item.job for item in self.todo] + [parked.item.job for parked in self.parked]
            self.unstarted += [lane.next_item.job for lane in self.lanes if lane.next_item is not None]
            self.todo.clear()
            self.parked.clear()
            self.recorded.clear()
            for lane in self.lanes:  # whatever was on the wire has an unknown fate: drop it with its connection
                lane.recording = lane.body_waiting = False
                if lane.item is not None or lane.next_item is not None:
                    lane.item = lane.next_item = None
                    self._close(lane)
            raise
        left = [item.job for item in self.todo] + [parked.item.job for parked in self.parked]
        self.todo.clear()
        self.parked.clear()
        return left

    def close(self) -> None:
        for lane in self.lanes:
            if lane.phase is Phase.IDLE:
                self._write(lane, b"QUIT\r\n")
            self._close(lane)
        self.executor.shutdown(wait=False, cancel_futures=True)

    def _unfinished(self) -> list[Job]:
        items = [*self.todo, *(parked.item for parked in self.parked)]
        items += [lane.item for lane in self.lanes if lane.item is not None]
        items += [lane.next_item for lane in self.lanes if lane.next_item is not None]
        return [item.job for item in items]

    def _drop_lost(self, lost: set[Job]) -> None:
        """Forget jobs that are no longer ours (the send was cancelled, or another worker took the row)."""
        if not lost:
            return
        self.todo = deque(item for item in self.todo if item.job not in lost)
        self.parked = [parked for parked in self.parked if parked.item.job not in lost]
        heapq.heapify(self.parked)

    def _in_flight(self) -> int:
        return sum(lane.phase in (Phase.OPENING, Phase.FINISHING) for lane in self.lanes)

    def _next_deadline(self) -> float:
        now = time.monotonic()
        moments = [
            lane.deadline for lane in self.lanes if lane.phase in (Phase.OPENING, Phase.FINISHING, Phase.RESETTING)
        ]
        if self.todo or self.parked:
            moments += [lane.retry_at for lane in self.lanes if lane.phase is Phase.DEAD]
            if self.parked:
                moments.append(self.parked[0].ready_at)
        if self.breaker.opened_at is not None:
            moments.append(now + self.breaker.seconds_left())
        return min([now + 1.0, *moments])

    def _wait(self, timeout: float) -> None:
        for key, events in self.selector.select(max(timeout, 0.0)):
            lane: Lane[Job] | None = key.data
            if lane is None:
                with contextlib.suppress(OSError):
                    self.wake_reader.recv(4096)
                continue
            if events & selectors.EVENT_WRITE and lane.outbuf:
                self._flush(lane)
            if events & selectors.EVENT_READ and lane.sock is not None:
                self._read(lane)

    # -- starting messages -------------------------------------------------------------------------------------

    def _start_messages(self) -> None:
        for lane in self.lanes:
            while lane.phase is Phase.IDLE and not lane.recording and self._in_flight() < self.max_in_flight:
                item = self._next_message()
                if item is None:
                    return
                self._begin(lane, item)

    def _next_message(self) -> Item[Job] | None:
        """The next message the rate allows, built; messages that must wait are parked, built, for later."""
        now = time.monotonic()
        while self.parked and self.parked[0].ready_at <= now:
            self.todo.appendleft(heapq.heappop(self.parked).item)
        while self.todo:
            item = self.todo.popleft()
            if item.envelope is None:
                try:
                    item.envelope = self.build(item.job)
                except Exception as error:  # a message that cannot be built will not build next time either
                    log.exception("cannot build message")
                    self.record(item.job, Outcome("failed", 0, f"cannot build the message: {error}"[:1000]))
                    continue
            envelope = item.envelope
            if not safe_address(envelope.sender) or not safe_address(envelope.recipient):
                self.record(item.job, Outcome("failed", 0, f"unusable address: {envelope.recipient!r}"[:1000]))
                continue
            wait = self.throttle.try_acquire(domain_of(envelope))
            if wait:
                self.counter += 1
                heapq.heappush(self.parked, Parked(now + wait, self.counter, item))
                continue
            return item
        return None

    def _begin(self, lane: Lane[Job], item: Item[Job]) -> None:
        commands = opening_commands(item)
        lane.item, lane.replies, lane.phase = item, [], Phase.OPENING
        lane.deadline = time.monotonic() + self.config.timeout
        if lane.pipelining:
            lane.queued, lane.waiting = [], 3
            self._write(lane, b"".join(commands))
        else:
            lane.queued, lane.waiting = commands[1:], 1
            self._write(lane, commands[0])

    # -- connections -------------------------------------------------------------------------------------------

    def _open_connections(self) -> None:
        if not (self.todo or self.parked):
            return
        now = time.monotonic()
        # After a pause, one connection tries first (the breaker is half-open) before all of them reconnect.
        allowed = 1 if self.breaker.opened_at is not None else len(self.lanes)
        active = sum(lane.phase is not Phase.DEAD for lane in self.lanes)
        for lane in self.lanes:
            if active >= allowed:
                return
            if lane.phase is Phase.DEAD and lane.retry_at <= now:
                lane.phase = Phase.CONNECTING
                lane.future = self.executor.submit(self.config.connect)
                lane.future.add_done_callback(self._wake)
                active += 1

    def _recorded(self, lane: Lane[Job]) -> None:
        """On the writer thread: this lane's record is committed."""
        self.recorded.append(lane)
        self._wake(None)

    def _check_recorded(self) -> None:
        while self.recorded:
            lane = self.recorded.popleft()
            lane.recording = False
            if lane.body_waiting:
                lane.body_waiting = False
                if lane.item is not None and lane.phase is Phase.OPENING and lane.sock is not None:
                    self._send_body(lane)

    def _wake(self, _future: object) -> None:
        with contextlib.suppress(OSError):
            self.wake_writer.send(b"x")

    def _check_connections(self) -> None:
        for lane in self.lanes:
            if lane.phase is not Phase.CONNECTING or lane.future is None or not lane.future.done():
                continue
            future, lane.future = lane.future, None
            try:
                connection = future.result()
            except (smtplib.SMTPException, OSError) as error:
                lane.phase = Phase.DEAD
                lane.connect_failures += 1
                lane.retry_at = time.monotonic() + min(0.5 * 2**lane.connect_failures, 10.0)
                self.breaker.failure(f"cannot connect: {error}")
                continue
            assert connection.sock is not None
            lane.smtp, lane.sock = connection, connection.sock
            lane.pipelining = bool(connection.does_esmtp and connection.has_extn("pipelining"))
            lane.sock.setblocking(False)
            lane.inbuf.clear()
            lane.outbuf, lane.lines, lane.used, lane.connect_failures = b"", [], 0, 0
            lane.phase = Phase.IDLE
            self.selector.register(lane.sock, selectors.EVENT_READ, lane)

    def _close(self, lane: Lane[Job]) -> None:
        if lane.sock is not None:
            with contextlib.suppress(KeyError, ValueError):
                self.selector.unregister(lane.sock)
            with contextlib.suppress(OSError):
                lane.sock.close()
        lane.sock, lane.smtp, lane.outbuf, lane.waiting = None, None, b"", 0
        lane.inbuf.clear()
        if lane.phase is not Phase.CONNECTING:
            lane.phase = Phase.DEAD

    def _broken(self, lane: Lane[Job], error: str) -> None:
        """The connection failed: a message that never got its dot out goes again, once; else it is deferred."""
        item, phase, unsent = lane.item, lane.phase, bool(lane.outbuf)
        if lane.next_item is not None:  # its body never went out
            self.todo.appendleft(lane.next_item)
        lane.item = lane.next_item = None
        self._close(lane)
        lane.retry_at = time.monotonic() + 0.2
        self.breaker.failure(error)
        if item is None:
            return
        delivered_maybe = phase is Phase.FINISHING and not unsent
        if not delivered_maybe and not item.restarted:
            item.restarted = True
            self.todo.appendleft(item)
            return
        where = "at the end of the message" if delivered_maybe else "before the end of the message"
        self.record(item.job, Outcome("deferred", 0, f"connection lost {where}: {error}"[:1000]))

    def _check_deadlines(self) -> None:
        now = time.monotonic()
        for lane in self.lanes:
            waiting = lane.phase in (Phase.OPENING, Phase.FINISHING, Phase.RESETTING) and not lane.body_waiting
            if waiting and now >= lane.deadline:
                self._broken(lane, f"no reply in {self.config.timeout:.0f} s ({lane.phase.value})")

    # -- the wire ----------------------------------------------------------------------------------------------

    def _write(self, lane: Lane[Job], data: bytes) -> None:
        lane.outbuf += data
        self._flush(lane)

    def _flush(self, lane: Lane[Job]) -> None:
        assert lane.sock is not None
        try:
            while lane.outbuf:
                sent = lane.sock.send(lane.outbuf)
                lane.outbuf = lane.outbuf[sent:]
        except WOULD_BLOCK:
            pass
        except OSError as error:
            self._broken(lane, f"write failed: {error}")
            return
        events = selectors.EVENT_READ | (selectors.EVENT_WRITE if lane.outbuf else 0)
        self.selector.modify(lane.sock, events, lane)

    def _read(self, lane: Lane[Job]) -> None:
        assert lane.sock is not None
        try:
            while True:  # a TLS socket may hold more decrypted bytes than one recv returns
                chunk = lane.sock.recv(65536)
                if not chunk:
                    self._broken(lane, "the relay closed the connection")
                    return
                lane.inbuf += chunk
                if len(chunk) < 65536 and not (isinstance(lane.sock, ssl.SSLSocket) and lane.sock.pending()):
                    break
        except WOULD_BLOCK:
            pass
        except OSError as error:
            self._broken(lane, f"read failed: {error}")
            return
        while lane.sock is not None and (end := lane.inbuf.find(b"\n")) >= 0:
            line = bytes(lane.inbuf[: end + 1]).rstrip(b"\r\n")
            del lane.inbuf[: end + 1]
            if len(line) < 3 or not line[:3].isdigit():
                self._broken(lane, f"not an SMTP reply: {line[:80]!r}")
                return
            lane.lines.append(line[4:].decode("utf-8", "replace"))
            if line[3:4] != b"-":
                text, lane.lines = "\n".join(lane.lines), []
                self._reply(lane, int(line[:3]), text)

    # -- replies -----------------------------------------------------------------------------------------------

    def _reply(self, lane: Lane[Job], code: int, text: str) -> None:
        lane.deadline = time.monotonic() + self.config.timeout
        if lane.phase is Phase.OPENING:
            self._opening_reply(lane, code, text)
        elif lane.phase is Phase.FINISHING:
            self._final_reply(lane, code, text)
        elif lane.phase is Phase.RESETTING:
            lane.waiting -= 1
            if lane.waiting <= 0:
                lane.phase = Phase.IDLE
        else:  # unasked (a 421 before closing an idle connection, say): start afresh
            self._close(lane)

    def _opening_reply(self, lane: Lane[Job], code: int, text: str) -> None:
        assert lane.item is not None and lane.item.envelope is not None
        lane.replies.append((code, text))
        lane.waiting -= 1
        expected = EXPECTED[len(lane.replies) - 1]
        accepted = code == expected or (expected, code) == (250, 251)
        if code == 421:  # the relay is closing: no other reply will come
            self._refused(lane, code, text)
            return
        if not lane.pipelining:
            if not accepted:
                self._refused(lane, code, text)
            elif lane.queued:
                lane.waiting = 1
                self._write(lane, lane.queued.pop(0))
            else:
                self._send_body(lane)
            return
        if lane.waiting > 0:
            return
        failure = next(
            ((c, t) for (c, t), e in zip(lane.replies, EXPECTED, strict=True) if c != e and (e, c) != (250, 251)),
            None,
        )
        if failure is None:
            self._send_body(lane)
        else:
            self._refused(lane, *failure)

    def _send_body(self, lane: Lane[Job]) -> None:
        """The body and the dot; with PIPELINING the next message's MAIL, RCPT and DATA right behind them.

        Its body waits for its 354, which the relay sends only after its reply to this dot: still one message
        in flight per connection, and one round trip less per message.
        """
        assert lane.item is not None and lane.item.envelope is not None
        if lane.recording:  # the previous message's record is not written yet: the 354 waits for it
            lane.body_waiting = True
            return
        lane.phase, lane.waiting = Phase.FINISHING, 1
        data = dot_stuffed(lane.item.envelope) + b".\r\n"
        if lane.pipelining and self.starting and lane.used + 1 < self.per_connection:
            lane.next_item = self._next_message()
            if lane.next_item is not None:
                data += b"".join(opening_commands(lane.next_item))
        self._write(lane, data)

    def _refused(self, lane: Lane[Job], code: int, text: str) -> None:
        """MAIL, RCPT or DATA refused: nothing was delivered, so the outcome is certain; the session goes on."""
        item, lane.item = lane.item, None
        assert item is not None and item.envelope is not None
        envelope = item.envelope
        self._slow_down_on(code, envelope)
        if code == 421:
            self.breaker.failure(f"{code} {text}")
            self._close(lane)
        else:
            lane.phase, lane.waiting = Phase.RESETTING, 1
            data_taken = len(lane.replies) == 3 and lane.replies[2][0] == 354
            if data_taken:  # DATA taken anyway: end it, the relay refuses it empty
                lane.waiting += 1
            self._write(lane, (b".\r\n" if data_taken else b"") + b"RSET\r\n")
        self.record(item.job, outcome_of(code, text))

    def _final_reply(self, lane: Lane[Job], code: int, text: str) -> None:
        item, lane.item = lane.item, None
        assert item is not None and item.envelope is not None
        envelope = item.envelope
        lane.phase, lane.waiting = Phase.IDLE, 0
        lane.used += 1
        self._slow_down_on(code, envelope)
        if 200 <= code < 300:
            self.breaker.success()
        if code == 421:
            self.breaker.failure(f"{code} {text}")
            self._close(lane)
        elif lane.used >= self.per_connection:
            self._write(lane, b"QUIT\r\n")
            self._close(lane)
        following, lane.next_item = lane.next_item, None
        if following is not None:
            if lane.phase is Phase.IDLE:  # its MAIL, RCPT and DATA are on the wire already
                lane.item, lane.replies, lane.queued, lane.waiting = following, [], [], 3
                lane.phase, lane.deadline = Phase.OPENING, time.monotonic() + self.config.timeout
            else:
                self.todo.appendleft(following)
        outcome = outcome_of(code, text, envelope.message_id)
        if self.record_sent is not None and outcome.kind == "sent":
            lane.recording = True
            self.record_sent(item.job, outcome, functools.partial(self._recorded, lane))
        else:
            self.record(item.job, outcome)

    def _slow_down_on(self, code: int, envelope: Envelope) -> None:
        if code == 421:
            self.throttle.slow_down(RELAY)
        elif code == 451:
            self.throttle.slow_down(domain_of(envelope))


def opening_commands(item: Item[Job]) -> list[bytes]:
    envelope = item.envelope
    assert envelope is not None
    return [
        f"MAIL FROM:<{envelope.sender}>\r\n".encode("ascii"),
        f"RCPT TO:<{envelope.recipient}>\r\n".encode("ascii"),
        b"DATA\r\n",
    ]


def domain_of(envelope: Envelope) -> str:
    return envelope.recipient.rpartition("@")[2].lower()
