"""The edition's language decides the language of its email and its page."""

from __future__ import annotations

import pytest
from django.utils import translation

from techissue.editions.render import prepare_email
from techissue.editions.tests.builders import published_edition

pytestmark = pytest.mark.django_db


def _both(language: str, client) -> tuple[str, str, str]:
    edition = published_edition(language=language)
    subject, text, html = prepare_email(edition).personalize("Kim", "http://127.0.0.1/u", "http://127.0.0.1/p")
    page = client.get(edition.get_absolute_url()).content.decode()
    return subject, text + html, page


def test_it_writes_a_korean_edition_in_korean(client) -> None:
    subject, email, page = _both("ko", client)

    assert subject.startswith("테크이슈 1호")
    assert "Kim님, 안녕하세요." in email and "구독 취소" in email and "이번 호의 기사" in email
    assert '<html lang="ko">' in page
    assert "구독하기" in page and "이번 호의 기사" in page and "년" in page


def test_it_writes_an_english_edition_in_english_whatever_the_active_language(client) -> None:
    with translation.override("ko"):
        subject, email, page = _both("en", client)

    assert subject == "techissue #1: Issue 1"
    assert "Hello, Kim." in email and "Unsubscribe" in email and "구독" not in email
    assert '<html lang="en">' in page
    assert "Subscribe" in page and "구독" not in page


def test_it_leaves_the_active_language_as_it_was() -> None:
    with translation.override("en"):
        prepare_email(published_edition(language="ko"))
        assert translation.get_language() == "en"


def test_it_shows_the_archive_in_the_readers_language(client) -> None:
    published_edition(language="ko")

    korean = client.get("/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "지난 호" in korean and '<html lang="ko">' in korean
    assert "Archive" in english and '<html lang="en">' in english
