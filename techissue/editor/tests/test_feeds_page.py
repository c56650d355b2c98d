"""Feeds in the browser: add by site address, OPML in and out, fetch now with progress, pause, weight."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from techissue.editor.fetchnow import run_fetch
from techissue.editor.models import FetchRun
from techissue.sources.models import Feed

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def test_it_adds_a_feed_by_its_site_address(editor, demo_newsroom):
    outlet = demo_newsroom.corpus.outlets[1]
    response = editor.post(
        "/editor/feeds/add/", {"url": demo_newsroom.home_url(outlet.slug)}, HTTP_ACCEPT_LANGUAGE="ko", **HX
    )
    assert response.status_code == 200 and "추가했습니다" in response.content.decode()
    assert Feed.objects.get().url == demo_newsroom.feed_url(outlet.slug)
    assert "feeds:refresh" in response["HX-Trigger"]


@pytest.mark.parametrize(("language", "words"), [("ko", "피드가 아니고"), ("en", "links to no feed")])
def test_it_says_in_words_that_a_page_has_no_feed(editor, demo_newsroom, language, words):
    response = editor.post("/editor/feeds/add/", {"url": demo_newsroom.opml_url}, HTTP_ACCEPT_LANGUAGE=language, **HX)
    assert response.status_code == 400 and words in response.content.decode()
    assert not Feed.objects.exists()


def test_it_says_in_words_that_a_site_does_not_answer(editor):
    response = editor.post("/editor/feeds/add/", {"url": "http://127.0.0.1:9/"}, HTTP_ACCEPT_LANGUAGE="ko", **HX)
    assert response.status_code == 400 and "가져오지 못했습니다" in response.content.decode()


def test_it_imports_an_opml_file_with_a_report(editor, demo_newsroom):
    import httpx

    data = httpx.get(demo_newsroom.opml_url).content
    response = editor.post(
        "/editor/feeds/import/", {"file": SimpleUploadedFile("feeds.opml", data)}, HTTP_ACCEPT_LANGUAGE="en", **HX
    )
    page = response.content.decode()
    count = len(demo_newsroom.corpus.outlets)
    assert response.status_code == 200 and f"{count} added, 0 already followed" in page
    again = editor.post("/editor/feeds/import/", {"url": demo_newsroom.opml_url}, HTTP_ACCEPT_LANGUAGE="en", **HX)
    assert f"0 added, {count} already followed" in again.content.decode()


def test_it_reports_an_outline_that_is_no_web_address(editor):
    opml = b'<?xml version="1.0"?><opml version="2.0"><body><outline text="Good" xmlUrl="http://127.0.0.1:9/a.xml"/><outline text="Gopher" xmlUrl="gopher://old.example/feed"/></body></opml>'
    response = editor.post(
        "/editor/feeds/import/", {"file": SimpleUploadedFile("f.opml", opml)}, HTTP_ACCEPT_LANGUAGE="en", **HX
    )
    page = response.content.decode()
    assert "1 added" in page and "Gopher" in page and Feed.objects.count() == 1


@pytest.mark.parametrize("data", [b"<opml><body><outline", b"\xff\xfe not xml at all", b""])
def test_it_says_in_words_that_an_opml_file_is_broken(editor, data):
    response = editor.post(
        "/editor/feeds/import/", {"file": SimpleUploadedFile("f.opml", data)}, HTTP_ACCEPT_LANGUAGE="ko", **HX
    )
    assert response.status_code == 400 and "OPML" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_it_does_not_read_a_local_path_as_an_opml_source(editor):
    response = editor.post("/editor/feeds/import/", {"url": "/etc/passwd"}, **HX)
    assert response.status_code == 400 and not Feed.objects.exists()


def test_it_exports_the_feeds_as_opml(editor):
    Feed.objects.create(url="http://127.0.0.1:9/a.xml", title="한겨레 테크")
    response = editor.get("/editor/feeds/export.opml")
    assert response["Content-Type"].startswith("text/x-opml") and "한겨레 테크" in response.content.decode()


def test_it_fetches_now_and_reports_progress(editor, demo_newsroom, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    outlets = demo_newsroom.corpus.outlets[:2]
    for outlet in outlets:
        Feed.objects.create(url=demo_newsroom.feed_url(outlet.slug), title=outlet.name)
    page = editor.post("/editor/feeds/fetch/", HTTP_ACCEPT_LANGUAGE="en", **HX).content.decode()
    run = FetchRun.objects.get()
    assert "0 of 2 feeds" in page and "every 1s" in page and run.phase == "queued"

    run_fetch.call(run.id)  # what the worker does with the queued task

    run.refresh_from_db()
    assert (run.phase, run.done, run.ok, run.failed) == ("done", 2, 2, 0) and run.new_articles > 0
    progress = editor.get(f"/editor/feeds/fetch/{run.id}/", HTTP_ACCEPT_LANGUAGE="en", **HX)
    text = progress.content.decode()
    assert "2 of 2 feeds" in text and "every 1s" not in text  # polling stops when it is done
    assert "feeds:refresh" in progress["HX-Trigger"]


def test_it_pauses_resumes_and_weighs_a_feed(editor):
    feed = Feed.objects.create(url="http://127.0.0.1:9/a.xml", title="Wire")
    editor.post(f"/editor/feeds/{feed.id}/active/", {"active": "0"}, **HX)
    feed.refresh_from_db()
    assert not feed.active
    editor.post(f"/editor/feeds/{feed.id}/active/", {"active": "1"}, **HX)
    editor.post(f"/editor/feeds/{feed.id}/weight/", {"weight": "2,5"}, **HX)
    feed.refresh_from_db()
    assert feed.active and feed.weight == 2.5
    response = editor.post(f"/editor/feeds/{feed.id}/weight/", {"weight": "9"}, HTTP_ACCEPT_LANGUAGE="ko", **HX)
    assert response.status_code == 400 and "0.1에서 3 사이" in response.content.decode()


def test_it_shows_each_failing_feed_with_its_error_in_words(editor):
    Feed.objects.create(
        url="http://127.0.0.1:9/a.xml",
        title="Broken",
        status="error",
        error_kind="http_status",
        last_error="the server answered 503",
    )
    page = editor.get("/editor/feeds/?status=error", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "사이트가 오류 페이지로 응답했습니다." in page and "the server answered 503" in page
    assert 'class="status status-error">오류<' in page


def test_it_needs_the_change_permission_to_fetch(bare_staff):
    assert bare_staff.post("/editor/feeds/fetch/", **HX).status_code == 403
    assert not FetchRun.objects.exists()
