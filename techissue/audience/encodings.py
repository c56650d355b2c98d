"""Read the bytes of an uploaded CSV as text: byte-order marks, UTF-16 without one, UTF-8, CP949 (EUC-KR)."""

from __future__ import annotations

import codecs

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class UnknownEncoding(ValueError):
    """No encoding we know reads these bytes."""


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 of mostly ASCII text has a zero in every other byte: on the odd side (LE) or the even (BE)."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) / 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def decode(data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding.

    1. A byte-order mark decides (UTF-32 is tried before UTF-16, whose mark it starts with).
    2. Without one, a zero in every other byte means UTF-16.
    3. Then UTF-8, then CP949 (a superset of EUC-KR, what Korean Excel writes), both strictly.
    4. Last, charset-normalizer's best guess; if even that fails, `UnknownEncoding`.
    """
    for bom, name in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(name), name
            except UnicodeDecodeError as error:
                raise UnknownEncoding(
                    f"the file starts with a {name} byte-order mark but is not {name}: {error}"
                ) from None
    guessed = _utf16_without_bom(data)
    candidates = [guessed] if guessed else []
    for name in [*candidates, "utf-8", "cp949"]:
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnknownEncoding("the file is in no text encoding we can read (save it as UTF-8)")
    return str(best), best.encoding
