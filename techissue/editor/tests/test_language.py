"""The editor's language is kept per user: it follows them into a new session, whatever the browser says."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from techissue.editor.models import EditorPreference

pytestmark = pytest.mark.django_db


def test_it_switches_and_remembers_the_language_for_the_user(editor):
    assert "오늘" in editor.get("/editor/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    response = editor.post("/editor/language/", {"language": "en", "next": "/editor/desk/"})
    assert response["Location"] == "/editor/desk/"
    assert EditorPreference.objects.get().language == "en"
    page = editor.get("/editor/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert '<html lang="en">' in page


def test_it_brings_the_saved_language_into_a_new_session():
    user = get_user_model().objects.create_superuser("editor", "e@example.com", "pw-for-tests-1")
    EditorPreference.objects.create(user=user, language="en")
    browser = Client()
    browser.post("/admin/login/", {"username": "editor", "password": "pw-for-tests-1", "next": "/editor/"})
    page = browser.get("/editor/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert '<html lang="en">' in page and "Today" in page


def test_it_ignores_an_unknown_language_and_a_foreign_next(editor):
    response = editor.post("/editor/language/", {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/editor/"
    assert not EditorPreference.objects.exists()


@pytest.mark.parametrize(("language", "heading"), [("ko", "배달"), ("en", "Delivery")])
def test_it_gives_every_admin_app_heading_in_the_language(editor, language, heading):
    page = editor.get("/admin/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert heading in page
    if language == "ko":
        for english in [">Audience<", ">Delivery<", ">Editions<", "Tasks Database Backend", ">Editor<"]:
            assert english not in page


def test_every_admin_page_breaks_korean_between_words_and_links_the_editors_area(editor):
    page = editor.get("/admin/sources/feed/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "editor/admin-index.css" in page and 'href="/editor/">편집자 공간</a>' in page
    from pathlib import Path

    from django.contrib.staticfiles import finders

    assert "word-break: keep-all" in Path(finders.find("editor/admin-index.css")).read_text(encoding="utf-8")
