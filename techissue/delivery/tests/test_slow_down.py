"""A relay that says 421 or 451 gets a lower rate, for the relay or for that domain only, and full speed later."""

from __future__ import annotations

from techissue.delivery.message import Envelope
from techissue.delivery.pipeline import SmtpPool
from techissue.delivery.smtp import Outcome, SmtpConfig
from techissue.delivery.tests.smtpserver import Recorder, SmtpServer
from techissue.delivery.throttle import RAMP_SECONDS, RELAY, Throttle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_slow_down_halves_the_rate_it_was_sending_at_and_ramps_back():
    clock = Clock()
    throttle = Throttle(clock=clock)
    for _ in range(40):  # 100 messages a second
        assert throttle.try_acquire("example.test") == 0
        clock.now += 0.01
    assert round(throttle.slow_down(RELAY)) == 50
    sent = 0
    end = clock.now + 2
    while clock.now < end:
        if throttle.try_acquire("example.test") == 0:
            sent += 1
        clock.now += 0.001
    assert 95 <= sent <= 110  # about 50 a second for two seconds, not 100
    clock.now += RAMP_SECONDS
    assert throttle.try_acquire("example.test") == 0 and throttle.rate_for(RELAY) is None


def test_a_domain_slow_down_leaves_other_domains_alone():
    clock = Clock()
    throttle = Throttle(clock=clock)
    throttle.slow_down("slow.test")
    assert throttle.try_acquire("slow.test") == 0  # the bucket starts with one token
    assert throttle.try_acquire("slow.test") > 0
    assert all(throttle.try_acquire("fast.test") == 0 for _ in range(100))


def test_the_pool_slows_down_on_421_for_the_relay_and_on_451_for_the_domain():
    def reply_for(rcpt: str, attempt: int) -> str | None:
        if rcpt == "a2@busy.test":
            return "421 4.7.0 too many messages, slow down"
        if rcpt == "b1@grey.test":
            return "451 4.7.1 slow down"
        return None

    envelopes = [Envelope("news@example.test", f"a{i}@busy.test", b"Hi\r\n", f"<a{i}@x>") for i in range(5)]
    envelopes += [Envelope("news@example.test", f"b{i}@grey.test", b"Hi\r\n", f"<b{i}@x>") for i in range(3)]
    outcomes: dict[str, Outcome] = {}
    with SmtpServer(Recorder(reply_for=reply_for)) as server:
        pool: SmtpPool[Envelope] = SmtpPool(SmtpConfig(port=server.port), connections=2)
        pool.send_all(envelopes, lambda e: e, lambda e, outcome: outcomes.update({e.recipient: outcome}))
        pool.close()
    assert outcomes["a2@busy.test"].kind == "deferred" and outcomes["b1@grey.test"].kind == "deferred"
    assert pool.throttle.rate_for(RELAY) is not None
    assert pool.throttle.rate_for("grey.test") is not None and pool.throttle.rate_for("busy.test") is None
    assert {e.recipient for e in envelopes} - {"a2@busy.test", "b1@grey.test"} == set(server.recorder.recipients())
