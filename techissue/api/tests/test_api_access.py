"""Who may call the API: tokens, their scopes, Django's permissions, the editor's session, the rate limit."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User

from techissue.editions.tests.builders import make_story

pytestmark = pytest.mark.django_db


def problem(response) -> dict[str, object]:  # type: ignore[no-untyped-def]
    assert response["Content-Type"] == "application/problem+json", response.content
    body = json.loads(response.content)
    assert body["status"] == response.status_code and body["title"]
    return body


def test_no_token_gets_a_401_problem(client) -> None:
    response = client.get("/api/v1/stories/")

    assert response.status_code == 401 and "Bearer" in response["WWW-Authenticate"]
    problem(response)


def test_a_read_token_may_read_but_not_pick(client, bearer) -> None:
    story = make_story("HBM4 양산 경쟁")
    headers = bearer("read")

    assert client.get("/api/v1/stories/", **headers).status_code == 200
    response = client.post(f"/api/v1/stories/{story.pk}/pick", **headers)

    assert response.status_code == 403 and "'write'" in problem(response)["detail"]
    story.refresh_from_db()
    assert story.decision == ""


def test_django_permissions_apply_on_top_of_scopes(client, bearer) -> None:
    story = make_story("권한 없는 편집자")
    nobody = User.objects.create_user("nobody", is_staff=True)

    response = client.post(f"/api/v1/stories/{story.pk}/pick", **bearer("write", user=nobody))

    assert response.status_code == 403 and "curation.change_story" in problem(response)["detail"]


def test_the_editors_session_works_with_csrf(client, editor) -> None:
    story = make_story("세션으로 고르기")
    client.force_login(editor)

    assert client.get("/api/v1/stories/").status_code == 200
    csrf_client = type(client)(enforce_csrf_checks=True)
    csrf_client.force_login(editor)
    assert csrf_client.post(f"/api/v1/stories/{story.pk}/pick").status_code in {401, 403}  # no CSRF token


def test_it_limits_requests_per_token(client, bearer, settings) -> None:
    settings.TECHISSUE_API_RATE_PER_MINUTE = 3
    headers = bearer("read")

    statuses = [client.get("/api/v1/feeds/", **headers).status_code for _ in range(5)]

    assert statuses[:3] == [200, 200, 200] and statuses[3:] == [429, 429]


def test_problems_speak_the_requests_language(client) -> None:
    english = problem(client.get("/api/v1/stories/", HTTP_ACCEPT_LANGUAGE="en"))
    korean = problem(client.get("/api/v1/stories/", HTTP_ACCEPT_LANGUAGE="ko"))

    assert english["title"] == "Not authenticated" and korean["title"] != english["title"]
