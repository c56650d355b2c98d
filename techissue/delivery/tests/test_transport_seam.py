"""One seam for every mail: EMAIL_URL picks our SMTP pool or an anymail provider, once, and both deliver editions."""

from __future__ import annotations

from collections import Counter
from email.utils import parseaddr

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives
from django.test import override_settings

from techissue.delivery import periodic, transport
from techissue.delivery.models import Delivery
from techissue.delivery.returns import envelope_sender_for
from techissue.delivery.services import send_progress, start_send
from techissue.delivery.tests.conftest import make_edition, make_readers, run_until_idle
from techissue.delivery.tests.postmark import PostmarkServer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postmark():
    with (
        PostmarkServer(refuse=frozenset({"reader3@example.test"})) as server,
        override_settings(
            EMAIL_URL="anymail://postmark",
            EMAIL_BACKEND="anymail.backends.postmark.EmailBackend",
            ANYMAIL={"POSTMARK_SERVER_TOKEN": "test-token", "POSTMARK_API_URL": server.url},
            UNSUBSCRIBE_MAILTO="unsubscribe@example.test",  # a mailto is advertised only when something reads it
        ),
    ):
        transport.transport_kind.cache_clear()
        periodic.reset()
        yield server
        periodic.reset()
    transport.transport_kind.cache_clear()


def test_it_sends_an_edition_through_the_provider_api_once_per_reader_with_its_headers(postmark):
    readers = make_readers(12)
    edition = make_edition()
    start_send(edition)
    run_until_idle()
    received = Counter(parseaddr(message["To"])[1] for message in postmark.messages)
    expected = {reader.email for reader in readers} - {"reader3@example.test"}
    assert received == dict.fromkeys(expected, 1)
    assert postmark.tokens == {"test-token"}
    message = next(m for m in postmark.messages if "reader1@" in m["To"])
    headers = {header["Name"]: header["Value"] for header in message["Headers"]}
    assert "/unsubscribe/" in headers["List-Unsubscribe"] and "mailto:" in headers["List-Unsubscribe"]
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    row = Delivery.objects.get(subscriber__email="reader1@example.test")
    # The provider's webhook events come back with this, and only then count (see test_provider_webhooks).
    assert message["Metadata"] == {"techissue_return": envelope_sender_for(edition.pk, row.subscriber_id)}
    assert headers["Message-ID"] == row.message_id
    assert "/unsubscribe/" in message["TextBody"] and "<html" in message["HtmlBody"].lower()
    progress = send_progress(edition)
    assert progress["sent"] == 11 and progress["failed"] == 1  # the provider refused reader3


def test_a_single_mail_goes_through_the_provider_too(postmark):
    message = EmailMultiAlternatives("Confirm", "Click", "news@example.test", ["someone@example.test"])
    message.attach_alternative("<p>Click</p>", "text/html")
    with override_settings(EMAIL_BACKEND="anymail.backends.postmark.EmailBackend"):
        transport.send_message(message)
    assert [m["To"] for m in postmark.messages] == ["someone@example.test"]


@override_settings(EMAIL_BACKEND=transport.DJANGO_SMTP_BACKEND)
def test_a_single_mail_goes_through_the_smtp_pool_signed_like_editions(smtp_server):
    message = EmailMultiAlternatives("Welcome", "Hello", "news@example.test", ["new@example.test"])
    message.extra_headers["Message-ID"] = "<welcome.1@example.test>"
    transport.send_message(message)
    (received,) = smtp_server.recorder.received
    assert received.recipient == "new@example.test"
    assert received.message["Subject"] == "Welcome" and received.message["Message-ID"] == "<welcome.1@example.test>"


@override_settings(EMAIL_BACKEND=transport.DJANGO_SMTP_BACKEND, EMAIL_HOST="127.0.0.1", EMAIL_PORT=9, EMAIL_TIMEOUT=5)
def test_a_single_mail_to_a_dead_relay_fails_with_the_reason():
    message = EmailMultiAlternatives("Welcome", "Hello", "news@example.test", ["new@example.test"])
    with pytest.raises(transport.SendError, match=r"could not reach the mail relay 127\.0\.0\.1:9"):
        transport.send_message(message)


@pytest.mark.parametrize(
    ("url", "backend", "words"),
    [
        ("anymail://nosuchprovider", "anymail.backends.nosuchprovider.EmailBackend", "nosuchprovider"),
        ("gopher://relay", "django.core.mail.backends.smtp.EmailBackend", "smtp://, smtps:// and anymail://"),
    ],
)
def test_it_refuses_a_transport_it_cannot_serve_at_start_up(url, backend, words):
    transport.transport_kind.cache_clear()
    try:
        with override_settings(EMAIL_URL=url, EMAIL_BACKEND=backend), pytest.raises(ImproperlyConfigured, match=words):
            transport.transport_kind()
    finally:
        transport.transport_kind.cache_clear()


def test_the_smtp_scheme_picks_the_pool(smtp_server):
    from techissue.delivery.pipeline import SmtpPool

    assert isinstance(periodic.engine().transport, SmtpPool)


@override_settings(EMAIL_BACKEND=transport.DJANGO_SMTP_BACKEND)
def test_a_single_mail_to_a_refused_recipient_says_which_and_why(smtp_server):
    smtp_server.recorder.reply_for = lambda rcpt, attempt: "550 5.1.1 no such user"
    message = EmailMultiAlternatives("Welcome", "Hello", "news@example.test", ["gone@example.test"])
    with pytest.raises(transport.RecipientsRefused) as refused:
        transport.send_message(message)
    assert refused.value.recipients == {"gone@example.test": (550, "550 5.1.1 no such user")}
