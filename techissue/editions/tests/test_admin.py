"""The editor's desk in the admin: picks reordered by their hidden positions, live preview, actions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from techissue.editions import services
from techissue.editions.models import Edition
from techissue.editions.tests.builders import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(settings) -> Client:
    # The admin's own pages use {% static %}; without a collected manifest the plain storage must answer.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    client = Client()
    client.force_login(User.objects.create_superuser("editor", "editor@127.0.0.1", "pw-long-enough-1"))
    return client


def _form_data(edition: Edition, order: list[int]) -> dict[str, str]:
    picks = list(edition.picks.all())
    data = {
        "number": str(edition.number), "title": edition.title, "subtitle": "", "slug": edition.slug,
        "language": edition.language, "cover_alt": "", "editorial_md": "Hello",
        "picks-TOTAL_FORMS": str(len(picks)), "picks-INITIAL_FORMS": str(len(picks)),
        "picks-MIN_NUM_FORMS": "0", "picks-MAX_NUM_FORMS": "1000",
        "images-TOTAL_FORMS": "0", "images-INITIAL_FORMS": "0", "images-MIN_NUM_FORMS": "0", "images-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for index, pick in enumerate(picks):
        prefix = f"picks-{index}-"
        data.update({
            prefix + "id": str(pick.id), prefix + "edition": str(edition.id), prefix + "position": str(order[index]),
            prefix + "headline": pick.headline, prefix + "url": pick.url, prefix + "outlets": pick.outlets,
            prefix + "comment": pick.comment, prefix + "story": str(pick.story_id or ""),
        })  # fmt: skip
    return data


def test_it_saves_the_order_the_hidden_positions_carry(editor: Client) -> None:
    for score, title in [(3, "Alpha"), (2, "Beta"), (1, "Gamma")]:
        make_story(title, score=score)
    edition = services.draft_edition(size=3)
    url = reverse("admin:editions_edition_change", args=[edition.pk])

    page = editor.get(url).content.decode()
    response = editor.post(url, _form_data(edition, [3, 1, 2]))

    assert 'class="pick-position"' in page and "editions/admin-edition.js" in page
    assert response.status_code == 302, response.content.decode()[:2000]
    assert [p.headline for p in edition.picks.all()] == ["Beta", "Gamma", "Alpha"]


def test_it_previews_markdown_sanitised_for_staff_only(editor: Client) -> None:
    url = reverse("admin:editions_edition_markdown")

    preview = editor.post(url, {"text": "**굵게** <script>alert(1)</script>"}).content.decode()

    assert "<strong>굵게</strong>" in preview and "<script" not in preview
    assert Client().post(url, {"text": "x"}).status_code == 302  # anonymous: off to the login page


def test_it_previews_the_email_and_the_page(editor: Client) -> None:
    make_story("Alpha")
    edition = services.draft_edition()
    url = reverse("admin:editions_edition_preview", args=[edition.pk])

    assert "<table" in editor.get(url + "?format=html").content.decode()
    assert editor.get(url + "?format=text").content.decode().startswith("Subject:")
    assert '<html lang="ko">' in editor.get(url + "?format=web").content.decode()


def test_it_schedules_publishes_and_cancels_from_the_list(editor: Client) -> None:
    make_story("Alpha")
    edition = services.draft_edition()
    changelist = reverse("admin:editions_edition_changelist")

    editor.post(changelist, {"action": "schedule_action", "_selected_action": [edition.pk]})
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SCHEDULED and edition.scheduled_at is not None

    editor.post(changelist, {"action": "publish_action", "_selected_action": [edition.pk]})
    editor.post(changelist, {"action": "cancel_action", "_selected_action": [edition.pk]})
    edition.refresh_from_db()
    assert edition.published_at is not None and edition.status == Edition.Status.CANCELLED

    response = editor.post(changelist, {"action": "cancel_action", "_selected_action": [edition.pk]}, follow=True)
    assert "cannot be" in response.content.decode() or "바꿀 수 없습니다" in response.content.decode()


def test_it_shows_why_an_edition_was_held(editor: Client) -> None:
    edition = services.hold_edition(services.draft_edition(), "Missed its slot while the worker was down")

    page = editor.get(reverse("admin:editions_edition_change", args=[edition.pk])).content.decode()

    assert "Missed its slot while the worker was down" in page
