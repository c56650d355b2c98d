"""Messages go out pipelined when the server allows it, one command at a time when it does not, intact either way."""

from __future__ import annotations

import time

import pytest

from techissue.delivery.message import Envelope, MessageBuilder
from techissue.delivery.pipeline import SmtpPool
from techissue.delivery.smtp import Outcome, SmtpConfig
from techissue.delivery.tests.conftest import make_edition, make_readers
from techissue.delivery.tests.smtpserver import Recorder, SmtpServer
from techissue.delivery.throttle import Throttle
from techissue.editions.render import prepare_email


def send(server: SmtpServer, envelopes: list[Envelope], connections: int = 3) -> dict[str, Outcome]:
    pool: SmtpPool[Envelope] = SmtpPool(SmtpConfig(port=server.port), connections=connections)
    outcomes: dict[str, Outcome] = {}
    try:
        pool.send_all(envelopes, lambda envelope: envelope, lambda envelope, outcome: outcomes.update({envelope.recipient: outcome}))  # fmt: skip
    finally:
        pool.close()
    return outcomes


def envelope(index: int, data: bytes = b"Subject: hi\r\n\r\nHello.\r\n") -> Envelope:
    return Envelope("news@example.test", f"reader{index}@example.test", data, f"<{index}@example.test>")


@pytest.mark.parametrize("pipelining", [True, False])
def test_it_sends_every_message_with_or_without_pipelining(pipelining):
    with SmtpServer(Recorder(pipelining=pipelining)) as server:
        outcomes = send(server, [envelope(index) for index in range(20)])
    assert sorted(server.recorder.recipients()) == sorted(f"reader{index}@example.test" for index in range(20))
    assert {outcome.kind for outcome in outcomes.values()} == {"sent"}


@pytest.mark.parametrize("pipelining", [True, False])
def test_it_keeps_the_session_usable_after_a_refused_recipient(pipelining):
    refused = {"reader3@example.test", "reader4@example.test"}
    recorder = Recorder(reply_for=lambda rcpt, attempt: "550 5.1.1 no" if rcpt in refused else None)
    recorder.pipelining = pipelining
    with SmtpServer(recorder) as server:
        outcomes = send(server, [envelope(index) for index in range(10)], connections=1)
    assert sorted(server.recorder.recipients()) == sorted(
        f"reader{index}@example.test" for index in range(10) if index not in (3, 4)
    )
    assert outcomes["reader3@example.test"].kind == "failed" and outcomes["reader3@example.test"].code == 550


def test_it_doubles_a_leading_dot_in_messages_not_built_here():
    data = b"Subject: dots\r\n\r\n.hidden line\r\n..two\r\nend"
    with SmtpServer() as server:
        send(server, [envelope(1, data)])
    assert server.recorder.received[0].data.replace(b"\r\n", b"\n") == data.replace(b"\r\n", b"\n") + b"\n"


def test_it_refuses_an_address_that_could_inject_a_command():
    with SmtpServer() as server:
        outcomes = send(server, [Envelope("news@example.test", "x@example.test>\r\nRSET", b"Hi\r\n", "<1@x>")])
    assert outcomes["x@example.test>\r\nRSET"].kind == "failed"
    assert server.recorder.received == []


@pytest.mark.django_db
def test_it_builds_messages_in_which_no_line_starts_with_a_dot():
    (reader,) = make_readers(1)
    reader.name = ".dot. name " * 20  # long enough to be folded
    edition = make_edition()
    edition.title = ".dotted title"
    edition.editorial_md = ".a paragraph\n\n. another"
    edition.save()
    built = MessageBuilder().build(prepare_email(edition), reader, edition.number)
    assert built.dot_safe
    assert not built.data.startswith(b".") and b"\n." not in built.data and built.data.endswith(b"\r\n")


def test_it_keeps_to_the_rate_per_domain_without_holding_up_other_domains():
    slow = [Envelope("news@example.test", f"reader{index}@slow.test", b"Hi\r\n", f"<s{index}@x>") for index in range(4)]
    others = [
        Envelope("news@example.test", f"reader@other{index}.test", b"Hi\r\n", f"<o{index}@x>") for index in range(4)
    ]
    pool: SmtpPool[Envelope] = SmtpPool(SmtpConfig(port=0), connections=2, throttle=Throttle(per_domain=10))
    with SmtpServer() as server:
        pool.config = SmtpConfig(port=server.port)
        start = time.monotonic()
        pool.send_all(slow + others, lambda envelope: envelope, lambda envelope, outcome: None)
        elapsed = time.monotonic() - start
        pool.close()
    assert elapsed >= 0.25  # four messages to slow.test at ten a second: three waits of a tenth
    arrivals = server.recorder.recipients()
    assert sorted(arrivals) == sorted(envelope.recipient for envelope in slow + others)
    # The other domains went while slow.test waited: all of them before its second message.
    assert max(arrivals.index(envelope.recipient) for envelope in others) < arrivals.index("reader1@slow.test")
