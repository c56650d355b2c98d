"""Social cards: a 1200×630 PNG per edition and post with its title in Hangul, drawn once and kept on disk."""

from __future__ import annotations

import hashlib
import io
import logging
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

log = logging.getLogger(__name__)

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
BACKGROUND = (24, 40, 120)
ACCENT = (120, 150, 255)
INK = (255, 255, 255)
MUTED = (200, 210, 240)
TITLE_SIZES = (72, 64, 56, 48)  # the largest size at which the title fits in MAX_TITLE_LINES
MAX_TITLE_LINES = 4
CARD_VERSION = "1"  # bump to redraw every card after a change of design

# Debian's fonts-noto-cjk (scripts/system-deps.sh installs it), then other common homes of a CJK font.
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf",
    "/System/Library/Fonts/AppleSDGothicNeo.ttc",
)
# The Korean face of a Noto CJK collection: index 1 of the .ttc (0 is Japanese, whose Hangul is the same).
KOREAN_FACE_INDEX = 1


@lru_cache(maxsize=1)
def font_path() -> Path | None:
    """The first CJK font found on this machine, or None (cards then fall back to Pillow's own font)."""
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    log.warning("no CJK font found (install fonts-noto-cjk): social cards cannot show Hangul")
    return None


@lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = font_path()
    if path is None:
        return ImageFont.load_default(size)
    index = KOREAN_FACE_INDEX if path.suffix == ".ttc" else 0
    try:
        return ImageFont.truetype(str(path), size, index=index)
    except OSError:
        return ImageFont.truetype(str(path), size)


def wrap(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int) -> list[str]:
    """Lines of `text` no wider than `width`: broken between words, and inside a word only when it alone is too wide."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for char in word:  # a long Korean compound without spaces breaks between syllables
            if font.getlength(line + char) > width and line:
                lines.append(line)
                line = ""
            line += char
    if line:
        lines.append(line)
    return lines


def _fit_title(title: str, width: int) -> tuple[ImageFont.FreeTypeFont | ImageFont.ImageFont, list[str]]:
    for size in TITLE_SIZES:
        font = _font(size)
        lines = wrap(title, font, width)
        if len(lines) <= MAX_TITLE_LINES:
            return font, lines
    font = _font(TITLE_SIZES[-1])
    lines = wrap(title, font, width)[:MAX_TITLE_LINES]
    lines[-1] = lines[-1][:-1] + "…"
    return font, lines


def draw_card(title: str, label: str, site_name: str = "techissue") -> bytes:
    """The PNG of one card: the site's name, a label (`#12 · 2026년 11월 30일`) and the title."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 24, HEIGHT), fill=ACCENT)
    draw.text((MARGIN, MARGIN - 10), site_name, font=_font(40), fill=INK)
    font, lines = _fit_title(title.strip() or site_name, WIDTH - 2 * MARGIN)
    line_height = int(getattr(font, "size", 48) * 1.3)
    top = (HEIGHT - line_height * len(lines)) // 2 + 20
    for number, line in enumerate(lines):
        draw.text((MARGIN, top + number * line_height), line, font=font, fill=INK)
    draw.text((MARGIN, HEIGHT - MARGIN - 30), label, font=_font(32), fill=MUTED)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def cards_dir() -> Path:
    return Path(settings.DATA_DIR) / "cards"


def card_png(title: str, label: str) -> bytes:
    """The card for this title and label, from DATA_DIR/cards when it was drawn before."""
    digest = hashlib.sha256(f"{CARD_VERSION}\0{title}\0{label}".encode()).hexdigest()[:32]
    path = cards_dir() / f"{digest}.png"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    png = draw_card(title, label)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(f".{digest[:8]}.tmp")
    temp.write_bytes(png)
    temp.replace(path)
    return png
