"""DSN (RFC 3464) reports: hard bounces suppress at once, soft ones after a threshold; ARF complaints suppress."""

from __future__ import annotations

import pytest

from techissue.audience.bounces import apply_report, parse_report
from techissue.audience.models import Subscriber
from techissue.audience.subscribe import SOFT_BOUNCE_LIMIT

pytestmark = pytest.mark.django_db


def dsn(recipient: str, status: str, action: str = "failed") -> bytes:
    return f"""From: MAILER-DAEMON@mx.example.test
To: newsletter@example.test
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

I could not deliver your mail.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.test
Arrival-Date: Mon, 3 Mar 2025 07:00:00 +0900

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822;{recipient}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; {status[0]}50 {status} mailbox problem

--B
Content-Type: text/rfc822-headers

Subject: techissue #1
--B--
""".replace("\n", "\r\n").encode()


def arf(recipient: str) -> bytes:
    return f"""From: fbl@isp.test
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

--F--
""".replace("\n", "\r\n").encode()


def test_it_parses_hard_and_soft_bounces():
    (hard,) = parse_report(dsn("ada@example.test", "5.1.1"))
    (soft,) = parse_report(dsn("bob@example.test", "4.2.2"))
    assert (hard.email, hard.hard) == ("ada@example.test", True)
    assert (soft.email, soft.hard) == ("bob@example.test", False)
    assert parse_report(dsn("ada@example.test", "4.4.1", action="delayed")) == []
    assert parse_report(b"Subject: hello\r\n\r\nnot a report") == []


def test_a_hard_bounce_suppresses_at_once():
    Subscriber.objects.create(email="ada@example.test", status="active")
    apply_report(dsn("ADA@example.test", "5.1.1"))
    assert Subscriber.objects.get().status == "bounced"


def test_soft_bounces_suppress_only_after_the_threshold():
    Subscriber.objects.create(email="bob@example.test", status="active")
    for _ in range(SOFT_BOUNCE_LIMIT - 1):
        apply_report(dsn("bob@example.test", "4.2.2"))
    assert Subscriber.objects.get().status == "active"
    apply_report(dsn("bob@example.test", "4.2.2"))
    assert Subscriber.objects.get().status == "bounced"


def test_a_complaint_suppresses_at_once():
    Subscriber.objects.create(email="eve@example.test", status="active")
    apply_report(arf("eve@example.test"))
    assert Subscriber.objects.get().status == "complained"
