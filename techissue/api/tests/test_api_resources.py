"""The resources call the same actions as the desk, the admin and the CLI, and page with cursors."""

from __future__ import annotations

import json

import pytest

from techissue.api.models import IdempotentAnswer
from techissue.audience.models import Subscriber
from techissue.audience.tests.helpers import run_queued_tasks
from techissue.editions.models import Edition
from techissue.editions.tests.builders import make_story, published_edition
from techissue.sources.models import Feed

pytestmark = pytest.mark.django_db


def post(client, path: str, body: object, headers: dict[str, str], **extra: str):  # type: ignore[no-untyped-def]
    return client.post(path, data=json.dumps(body), content_type="application/json", **headers, **extra)


def test_it_pages_the_ranked_stories_with_a_cursor(client, bearer) -> None:
    for number in range(5):
        make_story(f"스토리 {number}", score=10 - number)
    headers = bearer("read")

    first = json.loads(client.get("/api/v1/stories/?limit=2", **headers).content)
    second = json.loads(client.get(f"/api/v1/stories/?limit=2&cursor={first['next_cursor']}", **headers).content)
    last = json.loads(client.get(f"/api/v1/stories/?limit=2&cursor={second['next_cursor']}", **headers).content)

    titles = [story["title"] for page in (first, second, last) for story in page["items"]]
    assert titles == [f"스토리 {number}" for number in range(5)]
    assert [story["rank"] for story in second["items"]] == [3, 4] and last["next_cursor"] is None
    assert set(first["items"][0]["score_parts"]) == set(first["items"][0]["score_parts"])  # parts are shown


def test_pick_skip_and_undo_use_the_desks_action(client, bearer) -> None:
    story = make_story("엔비디아 실적")
    headers = bearer("write")

    assert json.loads(client.post(f"/api/v1/stories/{story.pk}/pick", **headers).content)["decision"] == "picked"
    assert json.loads(client.post(f"/api/v1/stories/{story.pk}/skip", **headers).content)["decision"] == "skipped"
    assert json.loads(client.post(f"/api/v1/stories/{story.pk}/undo", **headers).content)["decision"] == ""
    picked = json.loads(client.get("/api/v1/stories/?decision=open", **headers).content)["items"]
    assert [item["id"] for item in picked] == [story.pk]


def test_it_drafts_an_edition_and_refuses_to_send_it_past_the_preflight(client, bearer) -> None:
    make_story("첫 스토리", score=5)
    headers = bearer()

    created = post(client, "/api/v1/editions/", {"size": 1}, headers)
    edition = json.loads(created.content)
    refused = post(client, f"/api/v1/editions/{edition['id']}/send", {}, headers)

    assert created.status_code == 201 and len(edition["picks"]) == 1
    assert refused.status_code == 409 and json.loads(refused.content)["errors"]
    assert Edition.objects.get(pk=edition["id"]).status == "draft"


def test_a_send_token_is_needed_to_schedule(client, bearer) -> None:
    make_story("예약할 스토리", score=5)
    edition = json.loads(post(client, "/api/v1/editions/", {"size": 1}, bearer()).content)

    response = post(client, f"/api/v1/editions/{edition['id']}/schedule", {}, bearer("read", "write"))

    assert response.status_code == 403 and Edition.objects.get(pk=edition["id"]).status == "draft"


def test_it_previews_an_edition_and_reports_progress(client, bearer) -> None:
    edition = published_edition(title="미리보기 호")
    headers = bearer("read")

    html = client.get(f"/api/v1/editions/{edition.pk}/preview", **headers)
    text = client.get(f"/api/v1/editions/{edition.pk}/preview?format=text", **headers)
    progress = json.loads(client.get(f"/api/v1/editions/{edition.pk}/progress", **headers).content)

    assert html["Content-Type"].startswith("text/html") and "미리보기 호" in html.content.decode()
    assert text["Content-Type"].startswith("text/plain")
    assert progress["counts"]["total"] == 0


@pytest.mark.django_db(transaction=True)  # the worker closes its connection when the queue is empty
def test_a_new_reader_goes_through_double_opt_in_once_per_idempotency_key(client, bearer, mailoutbox) -> None:
    headers = bearer("write")
    body = {"email": "독자@example.test".replace("독자", "reader"), "name": "김하나", "language": "ko"}

    first = post(client, "/api/v1/subscribers/", body, headers, HTTP_IDEMPOTENCY_KEY="signup-1")
    again = post(client, "/api/v1/subscribers/", body, headers, HTTP_IDEMPOTENCY_KEY="signup-1")
    other = post(client, "/api/v1/subscribers/", {**body, "name": "x"}, headers, HTTP_IDEMPOTENCY_KEY="signup-1")
    run_queued_tasks()

    assert first.status_code == again.status_code == 202 and again["Idempotent-Replayed"] == "true"
    assert other.status_code == 422 and IdempotentAnswer.objects.count() == 1
    reader = Subscriber.objects.get(email="reader@example.test")
    assert reader.status == "pending" and reader.name == "김하나" and len(mailoutbox) == 1


def test_it_pauses_a_feed_and_keeps_korean_names(client, bearer) -> None:
    feed = Feed.objects.create(url="http://127.0.0.1:9/feed.xml", title="old")
    headers = bearer("write")

    response = client.patch(
        f"/api/v1/feeds/{feed.pk}",
        data=json.dumps({"active": False, "name": "전자신문 반도체"}),
        content_type="application/json",
        **headers,
    )

    assert response.status_code == 200 and json.loads(response.content)["title"] == "전자신문 반도체"
    feed.refresh_from_db()
    assert feed.active is False and feed.title == "전자신문 반도체"


def test_editions_and_subscribers_page_by_their_keys(client, bearer) -> None:
    for number in range(3):
        published_edition(title=f"{number}호")
    for number in range(3):
        Subscriber.objects.create(email=f"r{number}@example.test")
    headers = bearer("read")

    first = json.loads(client.get("/api/v1/editions/?limit=2", **headers).content)
    rest = json.loads(client.get(f"/api/v1/editions/?limit=2&cursor={first['next_cursor']}", **headers).content)
    readers = json.loads(client.get("/api/v1/subscribers/?limit=2", **headers).content)
    more = json.loads(client.get(f"/api/v1/subscribers/?limit=2&cursor={readers['next_cursor']}", **headers).content)

    assert [e["number"] for e in first["items"] + rest["items"]] == [3, 2, 1] and rest["next_cursor"] is None
    assert [r["email"] for r in readers["items"] + more["items"]] == [f"r{n}@example.test" for n in range(3)]
