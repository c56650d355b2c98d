"""DKIM signing with dkimpy, the key read once from DKIM_PRIVATE_KEY_PATH."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import dkim
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

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
    def __init__(self, selector: str, domain: str, private_key: bytes):
        self.selector = selector.encode()
        self.domain = domain.encode()
        self.private_key = private_key

    def signature_header(self, message: bytes) -> bytes:
        """The `DKIM-Signature: …\\r\\n` header line(s) to put in front of `message`."""
        return dkim.sign(
            message,
            self.selector,
            self.domain,
            self.private_key,
            canonicalize=(b"relaxed", b"relaxed"),
            include_headers=SIGNED_HEADERS,
            linesep=b"\r\n",
        )


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
