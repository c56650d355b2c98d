"""Social cards: a PNG per edition and post, with the title drawn in Hangul, cached, and named in the og: tags."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops

from techissue.editions.tests.builders import published_edition
from techissue.site import cards

pytestmark = pytest.mark.usefixtures("public_dir")


def ink_pixels(png: bytes) -> int:
    """How many pixels differ from the card's background: zero for a blank card."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    background = Image.new("RGB", image.size, cards.BACKGROUND)
    difference = ImageChops.difference(image, background).convert("L")
    return difference.point(lambda value: 255 if value > 40 else 0).histogram()[255]


def test_it_draws_a_1200_by_630_png_with_the_hangul_title() -> None:
    png = cards.draw_card("곡괭이와 청바지: AI 반도체 골드러시", "#3 · 2026년 11월 30일")

    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (1200, 630)
    assert cards.font_path() is not None, "fonts-noto-cjk is installed by scripts/system-deps.sh"
    with_title = ink_pixels(png)
    without_title = ink_pixels(cards.draw_card(" ", "#3 · 2026년 11월 30일"))
    assert with_title > without_title + 5000  # the Hangul title put real ink on the card


def test_it_breaks_a_long_korean_word_between_syllables() -> None:
    font = cards._font(72)
    lines = cards.wrap("초거대인공지능반도체생태계" * 4, font, 1040)

    assert len(lines) > 1 and all(font.getlength(line) <= 1040 for line in lines)
    assert "".join(lines) == "초거대인공지능반도체생태계" * 4


def test_it_keeps_a_drawn_card_and_serves_it_again() -> None:
    first = cards.card_png("같은 제목", "라벨")
    assert len(list(cards.cards_dir().glob("*.png"))) == 1

    assert cards.card_png("같은 제목", "라벨") == first
    assert len(list(cards.cards_dir().glob("*.png"))) == 1


@pytest.mark.django_db
def test_every_edition_and_post_names_a_card_that_loads(client) -> None:
    edition = published_edition(title="AI 반도체 전쟁", editorial="# 곡괭이와 청바지\n\n본문.")

    for page in [edition.get_absolute_url(), f"{edition.get_absolute_url()}editorial/"]:
        html = client.get(page).content.decode()
        card = html.split('<meta property="og:image" content="http://127.0.0.1:8000', 1)[1].split('"', 1)[0]
        assert f'<meta name="twitter:image" content="http://127.0.0.1:8000{card}">' in html
        response = client.get(card)
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert ink_pixels(response.content) > 5000

    assert client.get("/e/999-nothing/card.png").status_code == 404
