"""DKIM signing through OpenSSL (`cryptography`): relaxed/relaxed, RSA-SHA256 and optionally Ed25519 (RFC 8463).

The keys are parsed once per process; per message the body is canonicalised and hashed once, whatever the number
of signatures, and each signature is one OpenSSL call. dkimpy verifies the result in the tests.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# RFC 8058 asks that the signature cover both List-Unsubscribe headers, so no one can add them later.
SIGNED_HEADERS = (
    b"from",
    b"to",
    b"subject",
    b"reply-to",
    b"date",
    b"message-id",
    b"list-id",
    b"list-unsubscribe",
    b"list-unsubscribe-post",
    b"mime-version",
    b"content-type",
)
WSP_AT_LINE_END = re.compile(rb"[ \t]+\r\n")
WSP_RUN = re.compile(rb"[ \t]+")
FOLD = re.compile(rb"\r\n(?=[ \t])")
HEADER_LINE = re.compile(rb"\r\n(?![ \t])")


def relaxed_body(body: bytes) -> bytes:
    """RFC 6376 3.4.4: runs of blanks become one space, blanks at line ends and empty lines at the end go."""
    # Only tabs, runs of spaces and spaces at line ends change; base64 bodies (and their MIME part headers,
    # single spaces between words) have none, and three C-level scans are far cheaper than two regex passes.
    if b"\t" in body or b"  " in body or b" \r\n" in body:
        body = WSP_AT_LINE_END.sub(b"\r\n", WSP_RUN.sub(b" ", body))
    body = body.rstrip(b"\r\n")
    return body + b"\r\n" if body else b""


def relaxed_header(name: bytes, value: bytes) -> bytes:
    """RFC 6376 3.4.2: lowercase name, unfolded value with blanks squeezed and trimmed."""
    value = WSP_RUN.sub(b" ", FOLD.sub(b"", value)).strip(b" \t\r\n")
    return name.strip().lower() + b":" + value


def split_headers(head: bytes) -> list[tuple[bytes, bytes]]:
    """(name, raw value) pairs, folded lines kept with their value."""
    fields: list[tuple[bytes, bytes]] = []
    for line in HEADER_LINE.split(head):
        name, _colon, value = line.partition(b":")
        if name:
            fields.append((name, value))
    return fields


@dataclass(frozen=True)
class Key:
    selector: bytes
    algorithm: bytes  # b"rsa-sha256" or b"ed25519-sha256"
    private: rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey

    def sign(self, data: bytes) -> bytes:
        if isinstance(self.private, rsa.RSAPrivateKey):
            return self.private.sign(data, padding.PKCS1v15(), hashes.SHA256())
        return self.private.sign(hashlib.sha256(data).digest())  # RFC 8463: Ed25519 over the SHA-256 hash


def load_key(selector: str, pem: bytes) -> Key:
    """A PEM private key (RSA or Ed25519), parsed once; a bad one stops the start-up with a clear message."""
    try:
        private = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(f"the DKIM private key cannot be parsed: {error}") from None
    if isinstance(private, rsa.RSAPrivateKey):
        if private.key_size < 1024:
            raise ImproperlyConfigured("the DKIM RSA key must have at least 1024 bits (2048 recommended)")
        return Key(selector.encode("ascii"), b"rsa-sha256", private)
    if isinstance(private, ed25519.Ed25519PrivateKey):
        return Key(selector.encode("ascii"), b"ed25519-sha256", private)
    raise ImproperlyConfigured("the DKIM private key must be RSA or Ed25519")


class DkimSigner:
    """Signs with one or two keys (RSA, and Ed25519 next to it for dual signing), parsed once."""

    def __init__(self, selector: str, domain: str, private_key: bytes, *extra: tuple[str, bytes]):
        self.domain = domain.encode("ascii")
        self.keys = [load_key(selector, private_key), *(load_key(name, pem) for name, pem in extra)]

    def signature_header(self, message: bytes) -> bytes:
        """The `DKIM-Signature: …\\r\\n` header line(s) to put in front of `message`.

        1. Split head and body; canonicalise and hash the body once for every key.
        2. Pick the signed headers present (the last instance of each, as verifiers do).
        3. Per key: the signature header with an empty b=, canonicalised after the signed headers, signed.
        """
        head, _blank, body = message.partition(b"\r\n\r\n")
        body_hash = base64.b64encode(hashlib.sha256(relaxed_body(body)).digest())
        present: dict[bytes, bytes] = {}
        for name, value in split_headers(head):
            lowered = name.strip().lower()
            if lowered in SIGNED_HEADERS:
                present[lowered] = value  # the last instance wins
        names = [name for name in SIGNED_HEADERS if name in present]
        canonical = b"".join(relaxed_header(name, present[name]) + b"\r\n" for name in names)
        stamp = str(int(time.time())).encode("ascii")
        headers = []
        for key in self.keys:
            unsigned = (
                b"v=1; a=" + key.algorithm + b"; c=relaxed/relaxed; d=" + self.domain + b"; i=@" + self.domain
                + b"; q=dns/txt; s=" + key.selector + b"; t=" + stamp + b";\r\n\th=" + b":".join(names)
                + b";\r\n\tbh=" + body_hash + b";\r\n\tb="
            )  # fmt: skip
            signed = canonical + relaxed_header(b"DKIM-Signature", unsigned)
            headers.append(b"DKIM-Signature: " + unsigned + base64.b64encode(key.sign(signed)) + b"\r\n")
        return b"".join(headers)


def _read(path: str, name: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise ImproperlyConfigured(f"{name} cannot be read: {error}") from None


@lru_cache(maxsize=1)
def signer_from_settings() -> DkimSigner | None:
    """The signer when DKIM_SELECTOR, DKIM_DOMAIN and DKIM_PRIVATE_KEY_PATH are all set, else None.

    DKIM_ED25519_SELECTOR and DKIM_ED25519_PRIVATE_KEY_PATH add a second, Ed25519 signature (RFC 8463).
    """
    selector, domain, path = settings.DKIM_SELECTOR, settings.DKIM_DOMAIN, settings.DKIM_PRIVATE_KEY_PATH
    if not (selector and domain and path):
        return None
    extra = []
    ed_selector = getattr(settings, "DKIM_ED25519_SELECTOR", "")
    ed_path = getattr(settings, "DKIM_ED25519_PRIVATE_KEY_PATH", "")
    if bool(ed_selector) != bool(ed_path):
        raise ImproperlyConfigured("set both DKIM_ED25519_SELECTOR and DKIM_ED25519_PRIVATE_KEY_PATH, or neither")
    if ed_selector:
        extra.append((ed_selector, _read(ed_path, "DKIM_ED25519_PRIVATE_KEY_PATH")))
    return DkimSigner(selector, domain, _read(path, "DKIM_PRIVATE_KEY_PATH"), *extra)
