"""Turn fetched bytes into the right text: BOM, declared charset, UTF-8, Korean heuristics, detection."""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer

# Korean sites label CP949 pages "euc-kr" (or the old Microsoft name); CP949 is a strict superset,
# so decoding with it keeps syllables such as 똠 or 햏 that plain EUC-KR cannot represent.
# Latin-1 labels mean Windows-1252 on the web (WHATWG encoding standard).
_CODEC_ALIASES = {
    "euc-kr": "cp949",
    "euc_kr": "cp949",
    "euckr": "cp949",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "ksc5601": "cp949",
    "x-windows-949": "cp949",
    "windows-949": "cp949",
    "uhc": "cp949",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
}

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_XML_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_HANGUL_SYLLABLE = re.compile("[\uac00-\ud7a3]")


def normalise_codec(label: str | None) -> str | None:
    """Map a charset label to a Python codec name, or None when Python does not know it."""
    if not label:
        return None
    cleaned = label.strip().strip("\"'").lower()
    cleaned = _CODEC_ALIASES.get(cleaned, cleaned)
    try:
        return codecs.lookup(cleaned).name
    except LookupError:
        return None


def xml_declared_encoding(body: bytes) -> str | None:
    """The encoding named in the XML prolog (`<?xml … encoding="…"?>`), if any."""
    match = _XML_DECLARATION.match(body[:512].lstrip(codecs.BOM_UTF8))
    return match.group(1).decode("ascii") if match else None


def html_declared_encoding(body: bytes) -> str | None:
    """The charset named by a `<meta charset>` or `http-equiv` tag in the first 4 KB."""
    match = _META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii") if match else None


def _bom_codec(body: bytes) -> str | None:
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return codec
    return None


def _looks_korean(text: str) -> bool:
    """True when the non-ASCII characters of a CP949 decoding are mostly Hangul syllables."""
    non_ascii = [char for char in text if ord(char) > 127]
    if not non_ascii:
        return False
    hangul = sum(1 for char in non_ascii if _HANGUL_SYLLABLE.match(char))
    return hangul / len(non_ascii) >= 0.8


def decode_bytes(body: bytes, *declared: str | None) -> tuple[str, str]:
    """Decode `body` and return (NFC text, codec used).

    Steps, first success wins:
    1. a byte-order mark;
    2. each declared charset in the order given (the caller puts the most trusted first),
       accepted only if the bytes decode without error under it;
    3. strict UTF-8;
    4. CP949 when the result is mostly Hangul (a Korean-first reader meets undeclared CP949 often,
       and generic detectors mistake short Korean text for other East Asian codecs);
    5. charset-normalizer's best guess;
    6. UTF-8 with replacement characters, so a caller always gets text.
    """
    candidates: list[str] = []
    bom = _bom_codec(body)
    if bom:
        candidates.append(bom)
    for label in declared:
        codec = normalise_codec(label)
        if codec and codec not in candidates:
            candidates.append(codec)
    if "utf-8" not in candidates:
        candidates.append("utf-8")
    for codec in candidates:
        try:
            text = body.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        return unicodedata.normalize("NFC", text), codec
    try:
        korean = body.decode("cp949")
    except UnicodeDecodeError:
        korean = ""
    if korean and _looks_korean(korean):
        return unicodedata.normalize("NFC", korean), "cp949"
    best = charset_normalizer.from_bytes(body).best()
    if best is not None:
        codec = normalise_codec(best.encoding) or best.encoding
        return unicodedata.normalize("NFC", str(best)), codec
    return unicodedata.normalize("NFC", body.decode("utf-8", errors="replace")), "utf-8"
