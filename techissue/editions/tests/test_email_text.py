"""The plain-text part of an edition's email reads well on its own."""

from __future__ import annotations

import pytest

from techissue.editions import services
from techissue.editions.render import prepare_email
from techissue.editions.tests.builders import make_story, published_edition

pytestmark = pytest.mark.django_db


def test_it_lists_the_picks_with_outlets_comments_and_links() -> None:
    make_story("Chips", summary="Memory prices rise.", outlets=("Reuters", "연합뉴스"), score=10)
    edition = services.publish_edition(services.draft_edition(size=1, language="en"))

    subject, text, _ = prepare_email(edition).personalize("Ana", "http://127.0.0.1/u", "http://127.0.0.1/p")

    assert subject == f"techissue #{edition.number}: Issue {edition.number}"
    assert text.startswith("Hello, Ana.")
    assert "1. Chips\n   Reuters, 연합뉴스\n   Memory prices rise.\n   http://127.0.0.1:9/Reuters/" in text
    assert "Unsubscribe: http://127.0.0.1/u" in text
    assert f"Read it in your browser: http://127.0.0.1:8000{edition.get_absolute_url()}" in text


def test_it_keeps_the_editorial_as_readable_text() -> None:
    edition = published_edition(editorial="**Big week.** See [the report](https://example.org/r).")

    text = prepare_email(edition).personalize("", "http://127.0.0.1/u", "http://127.0.0.1/p")[1]

    assert "**Big week.** See [the report](https://example.org/r)." in text
    assert text.startswith("안녕하세요.")


def test_it_keeps_a_line_break_in_a_title_out_of_the_subject() -> None:
    edition = published_edition(title="Two\nlines")

    assert "\n" not in prepare_email(edition).subject
