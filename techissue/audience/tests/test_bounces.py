"""Reading DSN (RFC 3464) and ARF reports: which addresses failed, hard or soft (applying them: test_forged_reports)."""

from __future__ import annotations

from techissue.audience.bounces import parse_report


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


def test_it_parses_a_complaint():
    (complaint,) = parse_report(arf("eve@example.test"))
    assert (complaint.email, complaint.complaint, complaint.hard) == ("eve@example.test", True, True)
