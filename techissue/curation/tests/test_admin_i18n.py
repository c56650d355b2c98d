"""The editor's admin pages for feeds and stories speak Korean by default and English on request."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw-for-tests")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("language", "words"),
    [("ko", ["피드", "매체", "마지막 오류"]), ("en", ["Feeds", "outlet", "last error"])],
)
def test_it_shows_feed_health_in_the_editors_language(editor, language, words):
    page = editor.get("/admin/sources/feed/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for word in words[:1]:
        assert word in page
    add = editor.get("/admin/sources/feed/add/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for word in words[1:]:
        assert word.lower() in add.lower()


@pytest.mark.parametrize(("language", "word"), [("ko", "편집 데스크"), ("en", "Editor&#x27;s desk")])
def test_it_shows_the_desk_in_the_editors_language(editor, language, word):
    page = editor.get("/admin/curation/story/desk/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert word in page


def test_it_names_the_score_parts_in_the_story_list(editor):
    from techissue.editions.tests.builders import make_story

    make_story("A story")
    page = editor.get("/admin/curation/story/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "보도량" in page and "최신성" in page and "cov " not in page
