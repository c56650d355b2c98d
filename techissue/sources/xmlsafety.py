"""Make XML safe to parse: decode it, expand simple internal entities within a budget, refuse the rest."""

from __future__ import annotations

import re

from .decoding import Decoded, decode, xml_declared_encoding


class ParseError(ValueError):
    """A document that is not a usable feed or OPML file; the message says why in plain words."""


# Billion-laughs and XXE payloads live in a DOCTYPE's internal subset. We look at the decoded text,
# so a UTF-16 document cannot hide the declaration from a byte-level check, and we expand the few
# harmless declarations ourselves, so no XML parser ever sees a DTD subset.
MAX_ENTITY_CHARS = 10_000  # the expansion of one entity
MAX_EXPANSION_CHARS = 200_000  # the growth of the whole document
MAX_ENTITIES = 100
REFUSED_EXTERNAL = "the document declares an external or parameter XML entity (refused)"
REFUSED_BUDGET = "the document's XML entities expand beyond a safe size (refused)"
REFUSED_SUBSET = "the document's DOCTYPE declares something other than simple entities (refused)"

_DOCTYPE = re.compile(r"<!DOCTYPE\s+([^\s\[>]+)([^\[>]*)\[(.*?)\]\s*>", re.IGNORECASE | re.DOTALL)
_ENTITY = re.compile(r"""<!ENTITY\s+([A-Za-z_][\w.-]*)\s+("[^"]*"|'[^']*')\s*>""")
_HARMLESS = re.compile(r"<!--.*?-->|<!(?:ELEMENT|ATTLIST|NOTATION)\b[^>%]*>|<\?.*?\?>", re.DOTALL)
_REFERENCE = re.compile(r"&([A-Za-z_][\w.-]*);")
_PREDEFINED = {"amp", "lt", "gt", "quot", "apos"}
_PROLOG_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""")


def _declarations(subset: str) -> dict[str, str]:
    """The subset's general entities as {name: literal value}; anything risky or unknown raises."""
    if "%" in subset or re.search(r"<!ENTITY[^>]*\b(SYSTEM|PUBLIC)\b", subset):
        raise ParseError(REFUSED_EXTERNAL)
    declared: dict[str, str] = {}
    for match in _ENTITY.finditer(subset):
        name = match.group(1)
        if name not in _PREDEFINED:
            declared.setdefault(name, match.group(2)[1:-1])  # XML: the first declaration binds
    rest = _HARMLESS.sub("", _ENTITY.sub("", subset)).strip()
    if rest:
        raise ParseError(REFUSED_SUBSET)
    if len(declared) > MAX_ENTITIES:
        raise ParseError(REFUSED_BUDGET)
    return declared


def _expander(declared: dict[str, str]) -> dict[str, str]:
    """Each entity's full replacement text, refusing loops and expansions over the budget."""
    done: dict[str, str] = {}

    def expand(name: str, stack: tuple[str, ...]) -> str:
        if name in done:
            return done[name]
        if name in stack:
            raise ParseError(REFUSED_BUDGET)
        parts: list[str] = []
        size = 0
        last = 0
        value = declared[name]
        for match in _REFERENCE.finditer(value):
            inner = match.group(1)
            piece = value[last : match.start()] + (
                expand(inner, (*stack, name)) if inner in declared else match.group(0)
            )
            size += len(piece)
            if size > MAX_ENTITY_CHARS:
                raise ParseError(REFUSED_BUDGET)
            parts.append(piece)
            last = match.end()
        parts.append(value[last:])
        text = "".join(parts)
        if len(text) > MAX_ENTITY_CHARS:
            raise ParseError(REFUSED_BUDGET)
        done[name] = text
        return text

    return {name: expand(name, ()) for name in declared}


def expand_internal_entities(text: str) -> str:
    """Expand a DOCTYPE's simple internal entities in the text and drop its internal subset.

    Accepted: `<!ENTITY name "value">` declarations (which may use each other), comments and
    element or attribute declarations. Refused with ParseError: external (SYSTEM/PUBLIC) and
    parameter (`%`) entities, anything else in the subset, loops, and expansions beyond
    MAX_ENTITY_CHARS per entity or MAX_EXPANSION_CHARS for the document (entity bombs).
    """
    head = text[:100_000]
    doctype = _DOCTYPE.search(head)
    if doctype is None:
        # A DOCTYPE we could not read that declares entities is refused; `<!ENTITY` in article
        # text (a CDATA section about XML) without any DOCTYPE is just text.
        if re.search(r"<!DOCTYPE", head, re.IGNORECASE) and re.search(r"<!ENTITY", head, re.IGNORECASE):
            raise ParseError(REFUSED_SUBSET)
        return text
    values = _expander(_declarations(doctype.group(3)))
    body = text[doctype.end() :]
    growth = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal growth
        value = values.get(match.group(1))
        if value is None:
            return match.group(0)
        growth += len(value) - len(match.group(0))
        if growth > MAX_EXPANSION_CHARS:
            raise ParseError(REFUSED_BUDGET)
        return value

    expanded = _REFERENCE.sub(replace, body) if values else body
    external_id = doctype.group(2).strip()
    kept = f"<!DOCTYPE {doctype.group(1)}{' ' + external_id if external_id else ''}>"
    return text[: doctype.start()] + kept + expanded


def decode_xml(body: bytes, http_charset: str | None = None) -> Decoded:
    """Decode an XML document: a BOM, the prolog's encoding, then the HTTP charset, then detection.

    The prolog wins over the HTTP header because feed servers often send a default
    `charset=utf-8` for files that declare (and are) EUC-KR. A label is trusted when the bytes
    decode under it, or fail on only a few stray bytes (replaced, and counted in `replaced`).
    """
    decoded = decode(body, xml_declared_encoding(body), http_charset)
    # Blank lines before the prolog (a classic of WordPress plugins) make strict parsers give up.
    return Decoded(decoded.text.lstrip("\ufeff \t\r\n"), decoded.codec, decoded.replaced)


def as_utf8_document(text: str) -> bytes:
    """Encode decoded XML text as UTF-8, rewriting the prolog so it says so."""
    rewritten = _PROLOG_ENCODING.sub(r"\1\2utf-8\2", text, count=1)
    return rewritten.encode("utf-8")
