"""The compose pages: draft, edit, reorder, add and remove picks, upload images, preview; bad input said in words."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone

from techissue.editions.models import Edition, EditionImage
from techissue.editions.tests.builders import make_story
from techissue.editions.tests.uploads import png_bytes

pytestmark = pytest.mark.django_db


def drafted(editor: Client) -> Edition:
    for score, title in [(3, "반도체 수출"), (2, "배터리 공장"), (1, "AI 규제")]:
        make_story(title, summary=f"{title} 요약", score=score)
    response = editor.post("/editor/editions/draft/", {"size": "3"})
    edition = Edition.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/editor/editions/{edition.pk}/"
    return edition


def test_it_drafts_from_the_picks_and_shows_the_compose_page(editor: Client) -> None:
    edition = drafted(editor)
    page = editor.get(f"/editor/editions/{edition.pk}/").content.decode()
    assert "반도체 수출" in page and 'id="preview"' in page and 'name="editorial_md"' in page


def test_it_autosaves_the_editorial_and_names_broken_markdown(editor: Client) -> None:
    edition = drafted(editor)
    response = editor.post(
        f"/editor/editions/{edition.pk}/save/",
        {"editorial_md": "그림: ![차트](/media/x.png"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and "edition:saved" in response["HX-Trigger"]
    assert "not closed" in response.content.decode() or "닫히지" in response.content.decode()
    assert Edition.objects.get(pk=edition.pk).editorial_md == "그림: ![차트](/media/x.png"  # nothing lost


def test_it_refuses_an_empty_title_and_keeps_the_old_one(editor: Client) -> None:
    edition = drafted(editor)
    assert editor.post(f"/editor/editions/{edition.pk}/save/", {"title": "  "}).status_code == 400
    assert Edition.objects.get(pk=edition.pk).title == edition.title


def test_it_reorders_adds_and_removes_picks(editor: Client) -> None:
    edition = drafted(editor)
    first, second, third = edition.picks.all()
    editor.post(f"/editor/editions/{edition.pk}/picks/order/", {"pick": [third.pk, first.pk, second.pk]})
    assert [p.pk for p in edition.picks.all()] == [third.pk, first.pk, second.pk]

    story = make_story("새로 들어온 이야기", score=0.5)
    found = editor.get(f"/editor/editions/{edition.pk}/stories/", {"q": "새로"}).content.decode()
    assert "새로 들어온 이야기" in found
    added = editor.post(f"/editor/editions/{edition.pk}/stories/{story.pk}/add/")
    assert 'class="pick"' in added.content.decode() and edition.picks.count() == 4

    editor.post(f"/editor/editions/{edition.pk}/picks/{first.pk}/remove/")
    assert edition.picks.count() == 3 and [p.position for p in edition.picks.all()] == [1, 2, 3]

    editor.post(
        f"/editor/editions/{edition.pk}/picks/{second.pk}/", {"headline": "고친 제목", "comment": "한 줄 코멘트"}
    )
    second.refresh_from_db()
    assert (second.headline, second.comment) == ("고친 제목", "한 줄 코멘트")


def test_it_uploads_an_image_with_alt_text_and_refuses_the_rest(editor: Client, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    edition = drafted(editor)
    url = f"/editor/editions/{edition.pk}/images/"
    from django.core.files.uploadedfile import SimpleUploadedFile

    no_alt = editor.post(url, {"alt": " ", "file": SimpleUploadedFile("a.png", png_bytes(), "image/png")})
    not_image = editor.post(url, {"alt": "표", "file": SimpleUploadedFile("a.png", b"GIF? no", "image/png")})
    assert no_alt.status_code == 400 and not_image.status_code == 400
    assert json.loads(not_image.content)["error"] and not EditionImage.objects.exists()

    ok = json.loads(
        editor.post(url, {"alt": "수출 그래프", "file": SimpleUploadedFile("a.png", png_bytes(), "image/png")}).content
    )
    assert (
        ok["markdown"].startswith("![수출 그래프](/media/editions/images/")
        and EditionImage.objects.get().edition == edition
    )


def test_the_preview_is_the_real_email_framed_by_the_editor_page_only(editor: Client) -> None:
    edition = drafted(editor)
    response = editor.get(f"/editor/editions/{edition.pk}/preview/", {"format": "email"})
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response.get("Content-Security-Policy", "frame-ancestors 'self'")
    assert "반도체 수출" in response.content.decode() and "editor.css" not in response.content.decode()
    assert Edition.objects.get(pk=edition.pk).previewed_at is not None
    web = editor.get(f"/editor/editions/{edition.pk}/preview/", {"format": "web"}).content.decode()
    assert "반도체 수출" in web


@pytest.mark.parametrize(
    ("at", "words"),
    [("2020-01-01T07:00", ["already passed", "지난"]), ("soon", ["not a date", "날짜"])],
)
def test_it_refuses_a_schedule_in_the_past_or_unreadable(editor: Client, at: str, words: list[str]) -> None:
    edition = drafted(editor)
    page = editor.post(f"/editor/editions/{edition.pk}/schedule/", {"at": at}, follow=True).content.decode()
    assert any(word in page for word in words)
    assert Edition.objects.get(pk=edition.pk).status == Edition.Status.DRAFT


def test_it_refuses_a_time_that_a_dst_change_skips(editor: Client, settings) -> None:
    from datetime import date, timedelta

    settings.TIME_ZONE = "Europe/Berlin"
    edition = drafted(editor)
    march_end = date(timezone.now().year + 1, 3, 31)
    last_sunday = march_end - timedelta(days=(march_end.weekday() + 1) % 7)  # clocks jump 02:00 → 03:00
    page = editor.post(
        f"/editor/editions/{edition.pk}/schedule/", {"at": f"{last_sunday.isoformat()}T02:30"}, follow=True
    ).content.decode()
    assert "skip" in page or "건너" in page
    assert Edition.objects.get(pk=edition.pk).status == Edition.Status.DRAFT


def test_it_schedules_a_proposed_slot(editor: Client, settings) -> None:
    settings.TECHISSUE_SCHEDULE = "mon 07:00, thu 07:00"
    edition = drafted(editor)
    page = editor.get(f"/editor/editions/{edition.pk}/").content.decode()
    slot = page.split('name="slot" value="')[1].split('"')[0]
    editor.post(f"/editor/editions/{edition.pk}/schedule/", {"slot": slot})
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SCHEDULED
    assert timezone.localtime(edition.scheduled_at).strftime("%H:%M") == "07:00"


def test_any_story_goes_into_the_newest_draft_from_the_desk(editor: Client) -> None:
    edition = drafted(editor)
    story = make_story("데스크에서 고른 이야기", score=0.1)
    panel = editor.get(f"/editor/desk/story/{story.pk}/").content.decode()
    assert f"/editor/editions/add-story/{story.pk}/" in panel
    answer = editor.post(f"/editor/editions/add-story/{story.pk}/").content.decode()
    assert f"#{edition.number}" in answer or str(edition.number) in answer
    assert edition.picks.filter(story=story).exists()
