"""Reading time that fits Korean: Hangul counted by characters, Latin script by words."""

from __future__ import annotations

import math
import re
import unicodedata

# A Korean reader takes in about 500 Hangul syllables a minute; an English reader about 230 words.
HANGUL_PER_MINUTE = 500
WORDS_PER_MINUTE = 230

_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
# A "word" of Latin script or digits: runs of letters/digits with inner apostrophes or hyphens.
_LATIN_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+(?:['’\-][A-Za-z0-9\u00c0-\u024f]+)*")
_MARKUP = re.compile(r"<[^>]*>|!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)|[#*_`>|~\[\]]")


def reading_minutes(text: str) -> int:
    """Whole minutes (at least one for any text) that reading `text` (plain text, Markdown or HTML) takes."""
    plain = _MARKUP.sub(" ", unicodedata.normalize("NFC", text or ""))
    hangul = len(_HANGUL.findall(plain))
    words = len(_LATIN_WORD.findall(plain))
    if not hangul and not words:
        return 0
    minutes = hangul / HANGUL_PER_MINUTE + words / WORDS_PER_MINUTE
    return max(1, math.ceil(minutes - 0.25))  # 1.2 minutes read as one, 1.3 as two
