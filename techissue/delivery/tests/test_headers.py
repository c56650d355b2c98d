"""Every mail carries the list headers, a Message-ID and a Date, and its DKIM signature verifies."""

from __future__ import annotations

import base64
import subprocess

import dkim
import pytest
from django.test import override_settings

from techissue.delivery import dkimsign
from techissue.delivery.services import start_send
from techissue.delivery.tests.conftest import make_edition, make_readers, run_until_idle

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dkim_key(tmp_path):
    private = tmp_path / "dkim.pem"
    subprocess.run(["openssl", "genrsa", "-out", str(private), "1024"], check=True, capture_output=True)
    public_der = subprocess.run(
        ["openssl", "rsa", "-in", str(private), "-pubout", "-outform", "DER"], check=True, capture_output=True
    ).stdout
    with override_settings(DKIM_SELECTOR="mail", DKIM_DOMAIN="example.test", DKIM_PRIVATE_KEY_PATH=str(private)):
        dkimsign.signer_from_settings.cache_clear()
        yield base64.b64encode(public_der)
    dkimsign.signer_from_settings.cache_clear()


def test_it_puts_list_headers_message_id_and_date_on_every_mail(smtp_server, settings):
    settings.UNSUBSCRIBE_MAILTO = "unsubscribe@example.test"  # an address whose mail reaches `bounces ingest`
    make_readers(2)
    start_send(make_edition())
    run_until_idle()
    message = smtp_server.recorder.received[0].message
    unsubscribe = message["List-Unsubscribe"]
    assert "<http://127.0.0.1:8000/unsubscribe/" in unsubscribe and "<mailto:unsubscribe@example.test?" in unsubscribe
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Id"].startswith("techissue <techissue.")
    assert message["Message-ID"].startswith("<1.") and message["Date"]
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_payload()[0].get_payload(decode=True).decode()
    assert "/unsubscribe/" in text


def test_its_dkim_signature_verifies_and_covers_the_list_headers(smtp_server, dkim_key):
    make_readers(1)
    start_send(make_edition())
    run_until_idle()
    data = smtp_server.recorder.received[0].data
    signature = smtp_server.recorder.received[0].message["DKIM-Signature"]
    signed = {name.strip().lower() for name in signature.split("h=")[1].split(";")[0].replace("\r\n", "").split(":")}
    assert {"from", "subject", "list-unsubscribe", "list-unsubscribe-post"} <= signed

    def dns(name: bytes, timeout: int = 5) -> bytes:
        assert name == b"mail._domainkey.example.test."
        return b"v=DKIM1; k=rsa; p=" + dkim_key

    assert dkim.verify(data, dnsfunc=dns)
    assert not dkim.verify(
        data.replace(b"List-Unsubscribe-Post: List-Unsubscribe=One-Click", b"List-Unsubscribe-Post: x"), dnsfunc=dns
    )


def test_the_message_id_is_the_same_for_every_attempt_at_one_reader_and_differs_between_readers():
    from techissue.delivery.message import MessageBuilder
    from techissue.editions.render import prepare_email

    first, second = make_readers(2)
    edition = make_edition()
    prepared = prepare_email(edition)
    ids = [MessageBuilder().build(prepared, reader, edition.number).message_id for reader in (first, first, second)]
    assert ids[0] == ids[1] != ids[2]
    assert ids[0].startswith(f"<{edition.number}.{first.pk}.")
