"""The HTML part of an edition's email: inlined CSS, table layout, absolute URLs, personal parts."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile

from techissue.editions.render import prepare_email
from techissue.editions.tests.builders import published_edition

pytestmark = pytest.mark.django_db
UNSUBSCRIBE = "http://127.0.0.1:8000/unsubscribe/tok-1/?a=1&b=2"
PREFERENCES = "http://127.0.0.1:8000/preferences/tok-1/"


def _html(name: str = "김하나", **kwargs: str) -> str:
    edition = published_edition(**kwargs)
    return prepare_email(edition).personalize(name, UNSUBSCRIBE, PREFERENCES)[2]


def test_it_inlines_the_css_into_a_600px_table_layout() -> None:
    html = _html()

    assert "<table" in html and 'role="presentation"' in html
    assert "max-width: 600px" in html or "max-width:600px" in html
    assert re.search(r'<td class="pick" style="[^"]*padding', html)
    assert "prefers-color-scheme: dark" in html
    assert '<meta name="color-scheme" content="light dark">' in html


def test_it_greets_the_reader_and_escapes_the_name() -> None:
    assert "김하나님, 안녕하세요." in _html()
    hostile = _html(name='<img src=x onerror="alert(1)">')
    assert "<img src=x" not in hostile
    assert "&lt;img src=x onerror=" in hostile


def test_it_greets_without_a_name_when_there_is_none() -> None:
    html = _html(name="   ")

    assert '<p class="greeting"' in html and "안녕하세요." in html and "님," not in html


def test_it_has_visible_unsubscribe_and_browser_links() -> None:
    edition = published_edition()
    prepared = prepare_email(edition)
    html = prepared.personalize("", UNSUBSCRIBE, PREFERENCES)[2]

    assert 'href="http://127.0.0.1:8000/unsubscribe/tok-1/?a=1&amp;b=2"' in html
    assert f'href="{PREFERENCES}"' in html
    assert prepared.browser_url == f"http://127.0.0.1:8000/e/{edition.number}-issue-{edition.number}/"
    assert f'href="{prepared.browser_url}"' in html
    assert ">구독 취소</a>" in html and ">브라우저에서 보기</a>" in html


def test_it_makes_image_urls_absolute_and_gives_them_alt_text() -> None:
    edition = published_edition(editorial='![서울 야경](/media/night.png "밤의 서울")')
    edition.cover_image.save("cover.png", ContentFile(b"\x89PNG"), save=True)
    edition.cover_alt = "표지"
    edition.save()

    html = prepare_email(edition).personalize("", UNSUBSCRIBE, PREFERENCES)[2]

    assert 'src="http://127.0.0.1:8000/media/night.png" alt="서울 야경"' in html
    assert re.search(r'<img src="http://127\.0\.0\.1:8000/media/editions/covers/[0-9a-f]{32}\.png" alt="표지"', html)
    assert "<figcaption" in html and "밤의 서울" in html
    assert all(src.startswith("http") for src in re.findall(r'src="([^"]*)"', html))


def test_it_renders_once_and_personalises_by_substitution() -> None:
    prepared = prepare_email(published_edition())

    first = prepared.personalize("A", "http://127.0.0.1/u/1", "http://127.0.0.1/p/1")
    second = prepared.personalize("B", "http://127.0.0.1/u/2", "http://127.0.0.1/p/2")

    assert first[0] == second[0]
    assert "http://127.0.0.1/u/1" in first[2] and "http://127.0.0.1/u/2" in second[2]
    assert "x-techissue-slot" not in first[1] + first[2]
