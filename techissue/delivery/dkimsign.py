"""DKIM signing with dkimpy, the key read and parsed once from DKIM_PRIVATE_KEY_PATH."""

from __future__ import annotations

import base64
import hashlib
import time
from functools import lru_cache
from pathlib import Path

import dkim
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from dkim.canonicalization import CanonicalizationPolicy
from dkim.crypto import UnparsableKeyError, parse_pem_private_key

# RFC 8058 asks that the signature cover both List-Unsubscribe headers, so no one can add them later.
SIGNED_HEADERS = [
    b"from",
    b"to",
    b"subject",
    b"date",
    b"message-id",
    b"list-id",
    b"list-unsubscribe",
    b"list-unsubscribe-post",
    b"mime-version",
    b"content-type",
]


class DkimSigner:
    """Signs with a key parsed once: dkimpy's `dkim.sign` parses the PEM again for every message.

    The RSA operation itself is dkimpy's pure Python and dominates (milliseconds per message for a 2048-bit
    key); the key parse saved here is about a quarter of a millisecond.
    """

    def __init__(self, selector: str, domain: str, private_key: bytes):
        self.selector = selector.encode()
        self.domain = domain.encode()
        try:
            self.key = parse_pem_private_key(private_key)
        except UnparsableKeyError as error:
            raise ImproperlyConfigured(f"the DKIM private key cannot be parsed: {error}") from None
        self.canonicalization = CanonicalizationPolicy.from_c_value(b"relaxed/relaxed")
        self.include_headers = tuple(SIGNED_HEADERS)

    def signature_header(self, message: bytes) -> bytes:
        """The `DKIM-Signature: …\\r\\n` header line(s) to put in front of `message`.

        The same steps as `dkim.DKIM.sign` for rsa-sha256, with the parsed key passed in.
        """
        signer = dkim.DKIM(message, linesep=b"\r\n")
        signer.include_headers = self.include_headers
        signer.hasher = hashlib.sha256
        body = self.canonicalization.canonicalize_body(signer.body)
        fields = [
            (b"v", b"1"),
            (b"a", b"rsa-sha256"),
            (b"c", self.canonicalization.to_c_value()),
            (b"d", self.domain),
            (b"i", b"@" + self.domain),
            (b"q", b"dns/txt"),
            (b"s", self.selector),
            (b"t", str(int(time.time())).encode("ascii")),
            (b"h", b" : ".join(self.include_headers)),
            (b"bh", base64.b64encode(hashlib.sha256(body).digest())),
            (b"b", b"0" * 60),  # dkimpy's placeholder: it folds b= onto a line of its own
        ]
        header = signer.gen_header(fields, self.include_headers, self.canonicalization, b"DKIM-Signature", self.key)
        return b"DKIM-Signature: " + header


@lru_cache(maxsize=1)
def signer_from_settings() -> DkimSigner | None:
    """The signer when DKIM_SELECTOR, DKIM_DOMAIN and DKIM_PRIVATE_KEY_PATH are all set, else None."""
    selector, domain, path = settings.DKIM_SELECTOR, settings.DKIM_DOMAIN, settings.DKIM_PRIVATE_KEY_PATH
    if not (selector and domain and path):
        return None
    try:
        key = Path(path).read_bytes()
    except OSError as error:
        raise ImproperlyConfigured(f"DKIM_PRIVATE_KEY_PATH cannot be read: {error}") from None
    return DkimSigner(selector, domain, key)
