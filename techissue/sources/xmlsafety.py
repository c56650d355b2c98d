"""Refuse XML that declares entities, and hand parsers clean UTF-8 documents."""

from __future__ import annotations

import re

from .decoding import decode_bytes, xml_declared_encoding


class ParseError(ValueError):
    """A document that is not a usable feed or OPML file; the message says why in plain words."""


# A DOCTYPE with an internal subset is where billion-laughs and XXE payloads live. We look at the
# decoded text, so a UTF-16 document cannot hide the declaration from a byte-level check.
_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(r"<!DOCTYPE", re.IGNORECASE)
_PROLOG_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""")


def refuse_entity_declarations(text: str) -> None:
    """Raise ParseError when the document declares XML entities (entity expansion, XXE)."""
    if _DOCTYPE.search(text) and _ENTITY_DECLARATION.search(text):
        raise ParseError("the feed declares XML entities (entity expansion is refused)")


def decode_xml(body: bytes, http_charset: str | None = None) -> str:
    """Decode an XML document: the prolog's encoding, then the HTTP charset, then detection.

    The prolog wins over the HTTP header because feed servers often send a default
    `charset=utf-8` for files that declare (and are) EUC-KR. A label is only trusted when the
    bytes decode under it, so a wrong declaration falls through to detection.
    """
    text, _codec = decode_bytes(body, xml_declared_encoding(body), http_charset)
    # Blank lines before the prolog (a classic of WordPress plugins) make strict parsers give up.
    return text.lstrip("\ufeff \t\r\n")


def as_utf8_document(text: str) -> bytes:
    """Encode decoded XML text as UTF-8, rewriting the prolog so it says so."""
    rewritten = _PROLOG_ENCODING.sub(r"\1\2utf-8\2", text, count=1)
    return rewritten.encode("utf-8")
