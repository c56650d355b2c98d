"""The desk's actions answer with the changed fragment, check their permission and speak in words."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from techissue.curation.models import Story
from techissue.editions.tests.builders import make_story

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def test_it_picks_in_place_and_says_so(editor):
    story = make_story("반도체 수출 급증", score=3)
    response = editor.post(f"/editor/desk/story/{story.id}/decide/", {"decision": "picked", "rank": "1"}, **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<li class="story is-picked"') and f'id="story-{story.id}"' in html
    assert "<html" not in html  # a fragment, not a page
    events = json.loads(response["HX-Trigger"])
    assert events["editor:decided"] == {"story": story.id, "decision": "picked", "previous": ""}
    story.refresh_from_db()
    assert story.decision == "picked" and story.decided_at is not None


def test_it_undoes_a_skip(editor):
    story = make_story("Skipped by mistake", decision="skipped")
    editor.post(f"/editor/desk/story/{story.id}/decide/", {"decision": ""}, **HX)
    story.refresh_from_db()
    assert story.decision == "" and story.decided_at is None


def test_it_refuses_an_unknown_decision_in_words(editor):
    story = make_story("A story")
    response = editor.post(
        f"/editor/desk/story/{story.id}/decide/", {"decision": "burn"}, HTTP_ACCEPT_LANGUAGE="en", **HX
    )
    assert response.status_code == 400 and "Unknown decision." in response.content.decode()


def test_it_answers_a_merged_story_in_words(editor):
    gone = make_story("Gone")
    gone.merged_into = make_story("Kept")
    gone.save()
    response = editor.post(
        f"/editor/desk/story/{gone.id}/decide/", {"decision": "picked"}, HTTP_ACCEPT_LANGUAGE="ko", **HX
    )
    assert response.status_code == 404 and "다른 스토리에 합쳐졌거나" in response.content.decode()


def test_it_lets_a_viewer_read_the_desk_but_not_decide(client):
    user = get_user_model().objects.create_user("viewer", "v@example.com", "pw-for-tests-1", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_story"))
    client.force_login(user)
    story = make_story("Look, do not touch")
    assert client.get("/editor/desk/").status_code == 200
    response = client.post(f"/editor/desk/story/{story.id}/decide/", {"decision": "picked"}, **HX)
    assert response.status_code == 403
    story.refresh_from_db()
    assert story.decision == ""


def test_it_splits_the_ticked_articles_off(editor):
    story = make_story("Two events", outlets=("Alpha", "Beta"))
    beta = story.members.get(article__outlet="Beta").article_id
    response = editor.post(f"/editor/desk/story/{story.id}/split/", {"articles": [beta]}, **HX)
    assert response.status_code == 200 and "desk:refresh" in response["HX-Trigger"]
    assert story.members.count() == 1
    assert Story.objects.filter(members__article_id=beta).exclude(id=story.id).get().locked


def test_it_refuses_to_split_off_every_article_in_words(editor):
    story = make_story("One event", outlets=("Alpha", "Beta"))
    ids = list(story.members.values_list("article_id", flat=True))
    response = editor.post(f"/editor/desk/story/{story.id}/split/", {"articles": ids}, HTTP_ACCEPT_LANGUAGE="ko", **HX)
    assert response.status_code == 400 and "전부가 아니라 일부" in response.content.decode()
    assert story.members.count() == 2


def test_it_merges_with_a_story_found_by_search(editor):
    target = make_story("엔비디아 실적 발표", score=5)
    other = make_story("Nvidia earnings beat", score=2)
    found = editor.get("/editor/desk/search/", {"q": "Nvidia", "exclude": target.id}, **HX).content.decode()
    assert "Nvidia earnings beat" in found and "엔비디아 실적 발표" not in found
    response = editor.post("/editor/desk/merge/", {"target": target.id, "stories": [target.id, other.id]}, **HX)
    assert response.status_code == 200
    other.refresh_from_db()
    assert other.merged_into_id == target.id
    assert target.members.count() == 2


def test_it_asks_for_two_stories_to_merge(editor):
    story = make_story("Alone")
    response = editor.post("/editor/desk/merge/", {"stories": [story.id]}, HTTP_ACCEPT_LANGUAGE="en", **HX)
    assert response.status_code == 400 and "at least two" in response.content.decode()
