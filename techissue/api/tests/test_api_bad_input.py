"""Bad input gets a 4xx problem document, never a 5xx and never a partial write."""

from __future__ import annotations

import json

import pytest

from techissue.editions.tests.builders import make_story
from techissue.sources.models import Feed

pytestmark = pytest.mark.django_db


def send(client, method: str, path: str, body: object, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return getattr(client, method)(path, data=data, content_type="application/json", **headers)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("{not json", 400),
        ({"url": 12}, 422),  # a wrong type
        ({"url": "http://127.0.0.1:9/feed.xml", "colour": "blue"}, 422),  # an unknown field
        ({"url": "http://127.0.0.1:9/feed.xml", "weight": 9}, 422),  # out of range
        ({}, 422),  # a missing field
    ],
)
def test_a_bad_feed_body_is_a_problem_and_adds_nothing(client, bearer, body: object, status: int) -> None:
    response = send(client, "post", "/api/v1/feeds/", body, bearer())

    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert Feed.objects.count() == 0


def test_a_feed_that_cannot_be_fetched_is_a_problem_in_words(client, bearer, settings) -> None:
    settings.TECHISSUE_FETCH_ALLOW_NETWORKS = []  # loopback is refused like any internal address
    response = send(client, "post", "/api/v1/feeds/", {"url": "http://127.0.0.1:9/feed.xml"}, bearer())

    assert response.status_code == 422 and "refused" in json.loads(response.content)["detail"]
    assert Feed.objects.count() == 0


def test_too_large_a_page_and_a_forged_cursor_are_refused(client, bearer) -> None:
    headers = bearer("read")

    assert client.get("/api/v1/stories/?limit=1000", **headers).status_code == 422
    assert client.get("/api/v1/stories/?cursor=%%%", **headers).status_code == 400
    assert client.get("/api/v1/stories/?cursor=LTU", **headers).status_code == 400  # "-5"


def test_merging_a_story_that_does_not_exist_changes_nothing(client, bearer) -> None:
    story = make_story("합칠 스토리")

    response = send(client, "post", f"/api/v1/stories/{story.pk}/merge", {"others": [story.pk + 999]}, bearer())

    assert response.status_code == 422
    story.refresh_from_db()
    assert story.merged_into is None


def test_a_nul_byte_in_a_search_is_harmless(client, bearer) -> None:
    response = client.get("/api/v1/subscribers/?q=%00abc", **bearer("read"))

    assert response.status_code == 200
