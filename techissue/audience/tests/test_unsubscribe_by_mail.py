"""The List-Unsubscribe mailto: advertised only when `bounces ingest` reads its mailbox, and then acted on."""

from __future__ import annotations

import io
import re
from io import StringIO

import pytest
from django.core.management import call_command

from techissue.audience.models import Subscriber
from techissue.delivery.models import ReturnReport
from techissue.delivery.services import start_send
from techissue.delivery.tests.conftest import make_edition, make_readers, run_until_idle

pytestmark = pytest.mark.django_db(transaction=True)


def ingest(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = StringIO()
    call_command("bounces", "ingest", stdout=out)
    return out.getvalue()


def send_and_get_headers(smtp_server) -> dict[str, str]:  # type: ignore[no-untyped-def]
    make_readers(2)
    start_send(make_edition())
    run_until_idle()
    return {r.recipient: " ".join(str(r.message["List-Unsubscribe"]).split()) for r in smtp_server.recorder.received}


def mail_to(mailto: str, sender: str) -> bytes:
    """What a mail client sends when the reader picks "unsubscribe" and it uses the mailto."""
    address, _, query = mailto.removeprefix("mailto:").partition("?")
    subject = query.removeprefix("subject=")
    return f"From: {sender}\r\nTo: {address}\r\nSubject: {subject}\r\n\r\n\r\n".encode()


def test_without_a_bounce_mailbox_no_mailto_is_advertised(smtp_server, settings):
    settings.BOUNCE_MAILBOX_URL = ""
    settings.UNSUBSCRIBE_MAILTO = ""
    for header in send_and_get_headers(smtp_server).values():
        assert "mailto:" not in header and "/unsubscribe/" in header


def test_an_unsubscribe_mail_unsubscribes_the_reader_whose_token_it_carries(smtp_server, settings, monkeypatch):
    settings.BOUNCE_MAILBOX_URL = "imaps://bounces:pw@127.0.0.1/INBOX"
    headers = send_and_get_headers(smtp_server)
    (mailto,) = re.findall(r"<(mailto:[^>]+)>", headers["reader0@example.test"])
    assert mailto.startswith("mailto:bounces@localhost?subject=unsubscribe-")
    out = ingest(mail_to(mailto, "reader0@example.test"), monkeypatch)
    assert "reader0@example.test" in out
    statuses = dict(Subscriber.objects.values_list("email", "status"))
    assert statuses == {"reader0@example.test": "unsubscribed", "reader1@example.test": "active"}
    assert ReturnReport.objects.get().outcome == "unsubscribed"


def test_an_unsubscribe_mail_with_a_forged_token_changes_nobody(smtp_server, settings, monkeypatch):
    settings.BOUNCE_MAILBOX_URL = "imaps://bounces:pw@127.0.0.1/INBOX"
    headers = send_and_get_headers(smtp_server)
    (mailto,) = re.findall(r"<(mailto:[^>]+)>", headers["reader0@example.test"])
    (other,) = re.findall(r"<(mailto:[^>]+)>", headers["reader1@example.test"])
    token, other_token = mailto.partition("unsubscribe-")[2], other.partition("unsubscribe-")[2]
    # reader1's id with the timestamp and signature of reader0's token
    forged = mailto.replace(token, other_token.partition(":")[0] + ":" + token.partition(":")[2])
    ingest(mail_to(forged, "attacker@example.test"), monkeypatch)
    assert set(Subscriber.objects.values_list("status", flat=True)) == {"active"}
    assert ReturnReport.objects.get().matched is False
