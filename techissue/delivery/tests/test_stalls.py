"""A stalled relay costs only its connection; a relay that never greets trips the circuit breaker, which says so once."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading

from techissue.delivery.breaker import CircuitBreaker
from techissue.delivery.message import Envelope
from techissue.delivery.pipeline import SmtpPool
from techissue.delivery.smtp import Outcome, SmtpConfig
from techissue.delivery.tests.smtpserver import Recorder, SmtpServer

STALLED = "reader0@example.test"


class StallingRecorder(Recorder):
    """Never answers the end of data of one message (until long after the client gave up on it)."""

    others_done_during_stall: int = -1

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        if STALLED in envelope.rcpt_tos:
            await asyncio.sleep(4)
            self.others_done_during_stall = len(self.received)
            return "250 too late"
        return await super().handle_DATA(server, session, envelope)


def envelopes(count: int) -> list[Envelope]:
    return [Envelope("news@example.test", f"reader{i}@example.test", b"Hi\r\n", f"<{i}@x>") for i in range(count)]


def test_a_reply_that_never_comes_stalls_only_its_connection():
    recorder = StallingRecorder()
    outcomes: dict[str, Outcome] = {}
    with SmtpServer(recorder) as server:
        pool: SmtpPool[Envelope] = SmtpPool(SmtpConfig(port=server.port, timeout=2), connections=3)
        pool.send_all(envelopes(30), lambda e: e, lambda e, outcome: outcomes.update({e.recipient: outcome}))
        pool.close()
        others = {f"reader{i}@example.test" for i in range(1, 30)}
        assert set(recorder.recipients()) == others  # everyone else went while that one reply was awaited
    assert outcomes[STALLED].kind == "deferred" and "no reply" in outcomes[STALLED].reply
    assert {outcomes[address].kind for address in others} == {"sent"}


class SilentServer:
    """Accepts connections and never says a word (no greeting)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            try:
                self.accepted.append(self.sock.accept()[0])
            except OSError:
                return

    def close(self) -> None:
        self.sock.close()
        for connection in self.accepted:
            connection.close()


def test_a_relay_that_never_greets_pauses_the_batch_instead_of_costing_a_timeout_per_message(caplog):
    server = SilentServer()
    outcomes: list[Outcome] = []
    breaker = CircuitBreaker(f"127.0.0.1:{server.port}", threshold=2, pause=60)
    pool: SmtpPool[Envelope] = SmtpPool(SmtpConfig(port=server.port, timeout=1), connections=2, breaker=breaker)
    try:
        with caplog.at_level(logging.WARNING, logger="techissue.delivery.breaker"):
            left = pool.send_all(envelopes(50), lambda e: e, lambda e, outcome: outcomes.append(outcome))
    finally:
        pool.close()
        server.close()
    assert len(left) == 50 and outcomes == []  # nothing tried and failed: the whole batch goes back, untouched
    assert breaker.is_open
    warnings = [record.getMessage() for record in caplog.records if "pausing sending" in record.getMessage()]
    assert len(warnings) == 1 and f"127.0.0.1:{server.port}" in warnings[0]


def test_the_breaker_warns_once_per_episode_and_says_when_it_ends(caplog):
    now = [0.0]
    breaker = CircuitBreaker("relay:25", threshold=3, pause=10, clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="techissue.delivery.breaker"):
        for _ in range(10):
            breaker.failure("refused")
        assert breaker.is_open
        now[0] = 11
        assert not breaker.is_open  # half-open: one try
        breaker.failure("refused")
        assert breaker.is_open and breaker.seconds_left() == 20  # the pause doubled
        now[0] = 40
        breaker.success()
    messages = [record.getMessage() for record in caplog.records]
    assert sum("pausing sending" in message for message in messages) == 1
    assert sum("works again" in message for message in messages) == 1
