"""Every editor page asks for sign-in, then for its Django permission, and says no in words."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = ["editor:home", "editor:desk", "editor:feeds", "editor:readers"]


@pytest.mark.parametrize("name", PAGES)
def test_it_sends_strangers_to_the_login_page(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")


@pytest.mark.parametrize("name", ["editor:desk", "editor:feeds", "editor:readers"])
def test_it_refuses_staff_without_the_permission_in_words(bare_staff, name):
    response = bare_staff.get(reverse(name), HTTP_ACCEPT_LANGUAGE="ko")
    assert response.status_code == 403
    assert "권한이 없습니다" in response.content.decode()


def test_it_refuses_a_signed_in_reader_who_is_not_staff(client):
    user = get_user_model().objects.create_user("reader", "reader@example.com", "pw-for-tests-1")
    client.force_login(user)
    assert client.get(reverse("editor:home")).status_code == 403


def test_it_lands_on_the_editors_home_after_the_admin_login(client):
    get_user_model().objects.create_superuser("boss", "boss@example.com", "pw-for-tests-1")
    form = client.get("/admin/login/").content.decode()
    assert 'name="next" value="/editor/"' in form
    response = client.post("/admin/login/", {"username": "boss", "password": "pw-for-tests-1", "next": "/editor/"})
    assert response["Location"] == "/editor/"


def test_it_keeps_an_explicit_next_page(client):
    form = client.get("/admin/login/?next=/admin/sources/feed/").content.decode()
    assert 'value="/admin/sources/feed/"' in form


def test_it_links_the_admin_home_to_the_editors_area(editor):
    page = editor.get("/admin/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert 'href="/editor/"' in page
    assert "편집자 공간" in page


def test_every_editor_view_checks_sign_in_and_permissions():
    from django.urls import get_resolver

    resolver = get_resolver()
    editor_patterns = resolver.url_patterns[0].url_patterns  # path("editor/", include(...)) comes first
    unchecked = []

    def walk(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns)
            elif not hasattr(pattern.callback, "editor_permissions"):
                unchecked.append(pattern.name)

    walk(editor_patterns)
    assert unchecked == []


WRITES = [
    ("/editor/desk/story/1/decide/", {"decision": "picked"}),
    ("/editor/desk/story/1/split/", {}),
    ("/editor/desk/merge/", {}),
    ("/editor/desk/add/", {"url": "http://127.0.0.1:9/"}),
    ("/editor/feeds/add/", {"url": "http://127.0.0.1:9/"}),
    ("/editor/feeds/import/", {}),
    ("/editor/feeds/fetch/", {}),
    ("/editor/feeds/1/active/", {"active": "0"}),
    ("/editor/feeds/1/weight/", {"weight": "2"}),
    ("/editor/readers/import/", {}),
]


@pytest.mark.parametrize(("path", "data"), WRITES)
def test_every_write_is_refused_without_its_permission(bare_staff, path, data):
    assert bare_staff.post(path, data).status_code == 403
