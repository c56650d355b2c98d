"""The desk lists stories best first and narrows them by state, language, outlet, time and title words."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from techissue.editions.tests.builders import make_story

pytestmark = pytest.mark.django_db


def titles(editor, **query) -> list[str]:
    page = editor.get("/editor/desk/", query).content.decode()
    return [
        t
        for t in ["Chips", "Banks", "Cars", "Old news", "Picked one", "Skipped one"]
        if f">{t}" in page or f"</span>{t}" in page
    ]


@pytest.fixture
def stories(db):
    chips = make_story("Chips", outlets=("Hankyoreh Tech",), score=5)
    chips.languages = "ko"
    chips.save()
    banks = make_story("Banks", outlets=("Wire",), score=4)
    banks.languages = "en"
    banks.save()
    make_story("Cars", outlets=("Wire",), score=3)
    make_story("Old news", score=9, when=timezone.now() - timedelta(days=10))
    make_story("Picked one", decision="picked")
    make_story("Skipped one", decision="skipped")


def test_it_lists_open_stories_best_first(editor, stories):
    assert titles(editor) == ["Chips", "Banks", "Cars", "Old news"]
    page = editor.get("/editor/desk/").content.decode()
    assert page.index("Old news") < page.index("Chips")  # best first


def test_it_shows_the_picked_and_the_skipped_lists(editor, stories):
    assert titles(editor, view="picked") == ["Picked one"]
    assert titles(editor, view="skipped") == ["Skipped one"]


def test_it_filters_by_language_outlet_time_and_words(editor, stories):
    assert titles(editor, lang="ko") == ["Chips"]
    assert titles(editor, outlet="Wire") == ["Banks", "Cars"]
    assert "Old news" not in titles(editor, since="7d")
    assert titles(editor, q="bank") == ["Banks"]


def test_it_shows_score_parts_under_translated_names(editor, stories):
    page = editor.get("/editor/desk/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "보도량" in page and "최신성" in page and "coverage" not in page


def test_it_ignores_filters_it_does_not_know(editor, stories):
    response = editor.get("/editor/desk/", {"view": "everything", "since": "forever", "page": "x"})
    assert response.status_code == 200
