"""DKIM through OpenSSL: a 2048-bit RSA and an Ed25519 signature on every edition, both verified by dkimpy."""

from __future__ import annotations

import base64
import subprocess

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from django.test import override_settings

from techissue.delivery import dkimsign
from techissue.delivery.services import start_send
from techissue.delivery.tests.conftest import make_edition, make_readers, run_until_idle

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dual_keys(tmp_path):
    rsa_path, ed_path = tmp_path / "rsa.pem", tmp_path / "ed.pem"
    subprocess.run(["openssl", "genrsa", "-out", str(rsa_path), "2048"], check=True, capture_output=True)
    rsa_public = subprocess.run(
        ["openssl", "rsa", "-in", str(rsa_path), "-pubout", "-outform", "DER"], check=True, capture_output=True
    ).stdout
    ed_key = ed25519.Ed25519PrivateKey.generate()
    ed_path.write_bytes(
        ed_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    ed_public = ed_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    records = {
        b"rsa._domainkey.example.test.": b"v=DKIM1; k=rsa; p=" + base64.b64encode(rsa_public),
        b"ed._domainkey.example.test.": b"v=DKIM1; k=ed25519; p=" + base64.b64encode(ed_public),
    }
    with override_settings(
        DKIM_SELECTOR="rsa",
        DKIM_DOMAIN="example.test",
        DKIM_PRIVATE_KEY_PATH=str(rsa_path),
        DKIM_ED25519_SELECTOR="ed",
        DKIM_ED25519_PRIVATE_KEY_PATH=str(ed_path),
    ):
        dkimsign.signer_from_settings.cache_clear()
        yield lambda name, timeout=5: records[name]
    dkimsign.signer_from_settings.cache_clear()


def test_both_signatures_verify_with_dkimpy_and_break_when_a_signed_header_changes(smtp_server, dual_keys):
    make_readers(3)
    start_send(make_edition())
    run_until_idle()
    assert len(smtp_server.recorder.received) == 3
    for received in smtp_server.recorder.received:
        verifier = dkim.DKIM(received.data)
        assert verifier.verify(idx=0, dnsfunc=dual_keys) and verifier.verify(idx=1, dnsfunc=dual_keys)
        algorithms = [header.split("a=")[1].split(";")[0] for header in received.message.get_all("DKIM-Signature")]
        assert algorithms == ["rsa-sha256", "ed25519-sha256"]
        tampered = received.data.replace(
            b"List-Unsubscribe-Post: List-Unsubscribe=One-Click", b"List-Unsubscribe-Post: x"
        )
        assert not dkim.DKIM(tampered).verify(idx=0, dnsfunc=dual_keys)
        assert not dkim.DKIM(tampered).verify(idx=1, dnsfunc=dual_keys)


def test_it_parses_the_keys_once_and_hashes_each_body_once(smtp_server, dual_keys, monkeypatch):
    parsed, hashed = [], []
    load, body = dkimsign.serialization.load_pem_private_key, dkimsign.relaxed_body
    monkeypatch.setattr(
        dkimsign.serialization, "load_pem_private_key", lambda *a, **k: parsed.append(1) or load(*a, **k)
    )
    monkeypatch.setattr(dkimsign, "relaxed_body", lambda data: hashed.append(1) or body(data))
    make_readers(5)
    start_send(make_edition())
    run_until_idle()
    assert len(smtp_server.recorder.received) == 5
    assert len(parsed) == 2  # the RSA key and the Ed25519 key, once each for the process
    assert len(hashed) == 5  # one body canonicalisation (and hash) per message, for both signatures


def test_relaxed_body_canonicalisation_follows_rfc_6376():
    assert dkimsign.relaxed_body(b"a  \t b \r\n\r\n\r\n") == b"a b\r\n"
    assert dkimsign.relaxed_body(b"\r\n\r\n") == b""
    assert dkimsign.relaxed_header(b"Subject ", b"  hello\r\n  world  \r\n") == b"subject:hello world"


def test_relaxed_body_keeps_single_spaces_and_squeezes_the_rest():
    body = b"Content-Type: text/plain; charset=utf-8\r\n\r\nQUJD\r\n"
    assert dkimsign.relaxed_body(body) == body
    assert dkimsign.relaxed_body(b"a \tb\r\nc \r\n") == b"a b\r\nc\r\n"
