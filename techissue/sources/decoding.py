"""Turn fetched bytes into the right text: BOM, declared charset (even with a stray byte), UTF-8, Korean, detection."""

from __future__ import annotations

import codecs
import re
import threading
import unicodedata
from dataclasses import dataclass

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


def _bomless_utf16_or_32(body: bytes) -> str | None:
    """UTF-16/32 without a BOM, told by where the zero bytes of ASCII markup fall.

    Feeds and pages are mostly ASCII markup, which UTF-16 writes as a byte and a zero: zeros on
    odd offsets mean little-endian, on even offsets big-endian; three zeros in four mean UTF-32.
    """
    sample = body[:2048]
    if len(sample) < 8:
        return None
    quads = len(sample) // 4
    if quads and sum(sample[i * 4 + 1 : i * 4 + 4] == b"\0\0\0" for i in range(quads)) / quads > 0.6:
        return "utf-32-le"
    if quads and sum(sample[i * 4 : i * 4 + 3] == b"\0\0\0" for i in range(quads)) / quads > 0.6:
        return "utf-32-be"
    even, odd = sample[0::2], sample[1::2]
    even_zeros, odd_zeros = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_zeros > 0.3 and even_zeros < 0.05:
        return "utf-16-le"
    if even_zeros > 0.3 and odd_zeros < 0.05:
        return "utf-16-be"
    return None


def _decode_counting(body: bytes, codec: str) -> tuple[str, int]:
    """Decode with replacement characters; also return how many bytes could not be decoded."""
    bad = 0

    def count(error: UnicodeError) -> tuple[str, int]:
        nonlocal bad
        assert isinstance(error, UnicodeDecodeError)
        bad += error.end - error.start
        return "\ufffd", error.end

    return codecs.decode(body, codec, errors=_COUNTING.use(count)), bad


class _CountingHandler:
    """One registered codec error handler that calls whichever counter the current thread set."""

    def __init__(self) -> None:
        self.local = threading.local()
        codecs.register_error("techissue-count", self)

    def __call__(self, error: UnicodeError) -> tuple[str, int]:
        return self.local.counter(error)  # type: ignore[no-any-return]

    def use(self, counter: object) -> str:
        self.local.counter = counter
        return "techissue-count"


_COUNTING = _CountingHandler()


def few_bad_bytes(bad: int, total: int) -> bool:
    """A declared charset still wins over detection when this few bytes fail: stray bytes, not another codec."""
    return bad <= max(8, total // 2000)


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the codec used, and how many bytes were replaced (0 when all decoded)."""

    text: str
    codec: str
    replaced: int = 0

    @property
    def note(self) -> str:
        """What a reader of the article should know about its decoding, or ""."""
        if not self.replaced:
            return ""
        noun = "byte" if self.replaced == 1 else "bytes"
        return f"{self.replaced} {noun} could not be decoded as {self.codec} and were replaced with U+FFFD"


def _looks_korean(text: str) -> bool:
    """True when the non-ASCII characters of a CP949 decoding are mostly Hangul syllables."""
    non_ascii = [char for char in text if ord(char) > 127]
    if not non_ascii:
        return False
    hangul = sum(1 for char in non_ascii if _HANGUL_SYLLABLE.match(char))
    return hangul / len(non_ascii) >= 0.8


def decode(body: bytes, *declared: str | None) -> Decoded:
    """Decode `body`, NFC-normalised.

    Steps, first success wins:
    1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE), then BOM-less UTF-16/32;
    2. each declared charset in the order given (the caller puts the most trusted first), then
       UTF-8 (XML's default), accepted if the bytes decode without error under it;
    3. the same labels again, accepting the first that fails on only a few bytes (a stray byte
       in a UTF-8 document): those become U+FFFD and `replaced` says how many;
    4. CP949 when the result is mostly Hangul (a Korean-first reader meets undeclared CP949 often,
       and generic detectors mistake short Korean text for other East Asian codecs);
    5. charset-normalizer's best guess: detection is the last resort;
    6. UTF-8 with replacement characters, so a caller always gets text.
    """
    candidates: list[str] = []
    sniffed = _bom_codec(body) or _bomless_utf16_or_32(body)
    if sniffed:
        candidates.append(sniffed)
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
        return Decoded(unicodedata.normalize("NFC", text), codec)
    for codec in candidates:
        try:
            text, bad = _decode_counting(body, codec)
        except LookupError:
            continue
        if few_bad_bytes(bad, len(body)):
            return Decoded(unicodedata.normalize("NFC", text), codec, bad)
    try:
        korean = body.decode("cp949")
    except UnicodeDecodeError:
        korean = ""
    if korean and _looks_korean(korean):
        return Decoded(unicodedata.normalize("NFC", korean), "cp949")
    best = charset_normalizer.from_bytes(body).best()
    if best is not None:
        codec = normalise_codec(best.encoding) or best.encoding
        return Decoded(unicodedata.normalize("NFC", str(best)), codec)
    text, bad = _decode_counting(body, "utf-8")
    return Decoded(unicodedata.normalize("NFC", text), "utf-8", bad)


def decode_bytes(body: bytes, *declared: str | None) -> tuple[str, str]:
    """`decode`, as (text, codec)."""
    decoded = decode(body, *declared)
    return decoded.text, decoded.codec
