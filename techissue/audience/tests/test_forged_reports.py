"""Bounce and complaint reports count only when they match a message we sent, and only for its recipient.

The attack: anyone can mail the bounce mailbox (or pipe into `techissue bounces ingest`) a well-formed DSN or
ARF report naming any address. Before, every address it named was suppressed, even ones never mailed.
"""

from __future__ import annotations

import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from techissue.audience.models import Subscriber
from techissue.audience.subscribe import SOFT_BOUNCE_LIMIT
from techissue.delivery.models import ReturnReport
from techissue.delivery.services import start_send
from techissue.delivery.tests.conftest import make_edition, make_readers, run_until_idle
from techissue.delivery.tests.smtpserver import Received

pytestmark = pytest.mark.django_db(transaction=True)


def dsn(to: str, recipients: list[str], status: str = "5.1.1", original: str = "Subject: techissue #1\n") -> bytes:
    blocks = "".join(
        f"\nFinal-Recipient: rfc822; {recipient}\nAction: failed\nStatus: {status}\n"
        f"Diagnostic-Code: smtp; {status[0]}50 {status} mailbox problem\n"
        for recipient in recipients
    )
    return f"""From: MAILER-DAEMON@mx.example.test
To: {to}
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

I could not deliver your mail.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.test
{blocks}
--B
Content-Type: text/rfc822-headers

{original}
--B--
""".replace("\n", "\r\n").encode()


def arf(recipient: str, original: str) -> bytes:
    return f"""From: fbl@isp.test
To: abuse@example.test
Subject: complaint
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="F"

--F
Content-Type: text/plain

A complaint.

--F
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: isp/1.0
Version: 1
Original-Rcpt-To: {recipient}

--F
Content-Type: message/rfc822

{original}
Hello.
--F--
""".replace("\n", "\r\n").encode()


def ingest(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> str:
    """`techissue bounces ingest` with `raw` on its standard input, as an MTA's pipe would run it."""
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = StringIO()
    with translation.override("en"):
        call_command("bounces", "ingest", stdout=out)
    return out.getvalue()


def statuses() -> dict[str, str]:
    return dict(Subscriber.objects.values_list("email", "status"))


@pytest.fixture
def sent(smtp_server) -> dict[str, Received]:
    """Three readers, one stranger who was never mailed, and edition 1 delivered to the readers."""
    make_readers(3)
    Subscriber.objects.create(email="stranger@example.test", status=Subscriber.Status.ACTIVE)
    Subscriber.objects.filter(email="stranger@example.test").update(paused=True)  # active, but never mailed
    start_send(make_edition())
    run_until_idle()
    return {received.recipient: received for received in smtp_server.recorder.received}


def headers_of(received: Received) -> str:
    return received.data.split(b"\r\n\r\n", 1)[0].decode("ascii").replace("\r\n", "\n")  # dsn() makes CRLFs


def test_a_forged_dsn_on_stdin_changes_nobody(sent, monkeypatch):
    before = statuses()
    out = ingest(dsn("newsletter@example.test", ["reader1@example.test", "stranger@example.test"]), monkeypatch)
    assert statuses() == before
    assert "0 bounce(s) applied" in out and "1 report(s) matched no message we sent" in out
    (report,) = ReturnReport.objects.all()
    assert not report.matched and report.outcome == "ignored"
    assert "reader1@example.test" in report.addresses


def test_a_forged_complaint_changes_nobody(sent, monkeypatch):
    before = statuses()
    ingest(arf("reader2@example.test", "Subject: techissue #1\nMessage-ID: <1.3.abcdef@example.test>\n"), monkeypatch)
    assert statuses() == before
    assert ReturnReport.objects.filter(matched=False).count() == 1


def test_a_bounce_of_a_message_we_sent_bounces_only_its_recipient(sent, monkeypatch):
    ours = sent["reader0@example.test"]
    assert ours.sender.startswith("bounces+") and ours.sender.endswith("@localhost")
    # A real DSN goes to the envelope sender; this one also names reader1, hoping to ride along.
    ingest(dsn(ours.sender, ["reader0@example.test", "reader1@example.test"], original=headers_of(ours)), monkeypatch)
    assert statuses() == {
        "reader0@example.test": "bounced",
        "reader1@example.test": "active",
        "reader2@example.test": "active",
        "stranger@example.test": "active",
    }
    (report,) = ReturnReport.objects.all()
    assert report.matched and report.subscriber.email == "reader0@example.test"


def test_a_return_address_with_a_changed_id_matches_nothing(sent, monkeypatch):
    ours = sent["reader0@example.test"]
    reader1 = Subscriber.objects.get(email="reader1@example.test")
    local, _, domain = ours.sender.partition("@")
    edition_id, _subscriber_id, mac = local.removeprefix("bounces+").split("-")
    forged = f"bounces+{edition_id}-{reader1.pk}-{mac}@{domain}"
    before = statuses()
    ingest(dsn(forged, ["reader1@example.test"]), monkeypatch)
    assert statuses() == before


def test_a_bounce_is_matched_by_our_message_id_when_the_return_address_is_lost(sent, monkeypatch):
    ours = sent["reader2@example.test"]
    ingest(dsn("newsletter@example.test", ["reader2@example.test"], original=headers_of(ours)), monkeypatch)
    assert statuses()["reader2@example.test"] == "bounced"
    assert ReturnReport.objects.get().detail.startswith("message id")


def test_a_complaint_is_matched_by_the_originals_return_path(sent, monkeypatch):
    ours = sent["reader1@example.test"]
    original = f"Return-Path: <{ours.sender}>\nSubject: techissue #1\n"
    ingest(arf("someone-else@isp.test", original), monkeypatch)
    assert statuses()["reader1@example.test"] == "complained"
    assert statuses()["reader0@example.test"] == "active"


def test_soft_bounces_of_a_message_we_sent_suppress_after_the_threshold(sent, monkeypatch):
    ours = sent["reader0@example.test"]
    for _ in range(SOFT_BOUNCE_LIMIT - 1):
        ingest(dsn(ours.sender, ["reader0@example.test"], status="4.2.2"), monkeypatch)
    assert statuses()["reader0@example.test"] == "active"
    ingest(dsn(ours.sender, ["reader0@example.test"], status="4.2.2"), monkeypatch)
    assert statuses()["reader0@example.test"] == "bounced"


def test_unmatched_reports_are_counted_in_the_admin(sent, monkeypatch, admin_client):
    ingest(dsn("newsletter@example.test", ["reader1@example.test"]), monkeypatch)
    ingest(dsn("newsletter@example.test", ["reader2@example.test"]), monkeypatch)
    response = admin_client.get("/admin/delivery/returnreport/?matched__exact=0")
    assert response.status_code == 200
    assert response.context["cl"].result_count == 2
