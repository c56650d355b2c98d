"""The editor's desk over HTTP: staff without the story permissions can neither see it nor pick, skip or merge."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User

from techissue.curation.models import Story
from techissue.editions.tests.builders import make_story
from techissue.permissions import permission_name, requires_permission
from tests.webclient import Browser

pytestmark = pytest.mark.django_db(transaction=True)


def staff(username: str, *codenames: str) -> User:
    user = User.objects.create_user(username, password="correct horse battery", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def logged_in(base_url: str, username: str) -> Browser:
    browser = Browser(base_url)
    status, _ = browser.submit(
        "/admin/login/?next=/admin/", {"username": username, "password": "correct horse battery"}
    )
    assert status == 200 and "/admin/login/" not in browser.last_url
    return browser


@pytest.mark.parametrize("codenames", [(), ("view_story",)], ids=["no permission", "view only"])
def test_staff_without_change_permission_cannot_act_on_stories(live_server, codenames) -> None:  # type: ignore[no-untyped-def]
    first, second = make_story("첫 기사", score=2), make_story("둘째 기사", score=1)
    staff("intern", *codenames)
    browser = logged_in(live_server.url, "intern")
    desk = "/admin/curation/story/desk/"
    token = browser.csrf_token("/admin/")

    attempts = [
        browser.post(f"{desk}act/", {"action": "pick", "story": str(first.id), "csrfmiddlewaretoken": token}),
        browser.post(f"{desk}act/", {"action": "skip", "story": str(second.id), "csrfmiddlewaretoken": token}),
        browser.post(
            f"{desk}act/",
            {"action": "merge", "merge": [str(first.id), str(second.id)], "csrfmiddlewaretoken": token},
        ),
    ]

    assert [status for status, _ in attempts] == [403, 403, 403]
    assert list(Story.objects.order_by("id").values_list("decision", "merged_into")) == [("", None), ("", None)]
    status, page = browser.get(desk)
    assert status == (200 if codenames else 403)
    assert 'value="pick"' not in page


def test_an_editor_with_change_permission_picks(live_server) -> None:
    story = make_story("편집자의 선택")
    staff("editor", "view_story", "change_story")
    browser = logged_in(live_server.url, "editor")
    token = browser.csrf_token("/admin/")

    status, _ = browser.post(
        "/admin/curation/story/desk/act/", {"action": "pick", "story": str(story.id), "csrfmiddlewaretoken": token}
    )

    assert status == 200  # redirected back to the desk
    assert Story.objects.get(id=story.id).decision == "picked"


def test_the_decorator_names_the_permissions_it_checks() -> None:
    view = requires_permission(Story, "view", "change")(lambda request: None)
    assert view.required_permissions == ["curation.view_story", "curation.change_story"]  # type: ignore[attr-defined]
    assert permission_name(Story, "delete") == "curation.delete_story"


def test_a_view_only_user_cannot_run_the_changelist_actions(live_server) -> None:
    story = make_story("보기만 하는 사람")
    staff("reader", "view_story")
    browser = logged_in(live_server.url, "reader")
    token = browser.csrf_token("/admin/")

    for action in ("pick", "skip", "merge"):
        browser.post(
            "/admin/curation/story/",
            {"action": action, "_selected_action": [str(story.id)], "csrfmiddlewaretoken": token, "index": "0"},
        )

    assert Story.objects.get(id=story.id).decision == ""
