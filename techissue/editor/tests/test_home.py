"""The editor's home page for the day: feed health in words, top stories, editions, readers, the queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from techissue.audience.models import Subscriber
from techissue.editions import services
from techissue.editions.tests.builders import make_story
from techissue.editor import today
from techissue.sources.models import Feed

pytestmark = pytest.mark.django_db


def _failing_feed() -> Feed:
    return Feed.objects.create(
        url="http://127.0.0.1:9/broken.xml",
        title="Broken Daily",
        status=Feed.Status.ERROR,
        error_kind="timeout",
        last_error="no answer within 20 s",
        error_count=3,
    )


@pytest.mark.parametrize(
    ("language", "words"), [("ko", "제시간에 응답하지 않았습니다"), ("en", "did not answer in time")]
)
def test_it_names_each_failing_feed_with_its_error_in_words(editor, language, words):
    _failing_feed()
    Feed.objects.create(url="http://127.0.0.1:9/fine.xml", title="Fine Times", status=Feed.Status.OK)
    page = editor.get("/editor/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "Broken Daily" in page and words in page and "no answer within 20 s" in page
    health = today.feed_health()
    assert (health.ok, health.failing) == (1, 1)


def test_it_lists_the_top_open_stories_best_first(editor):
    make_story("Second best", score=2)
    make_story("Best of all", score=5)
    make_story("Already skipped", score=9, decision="skipped")
    page = editor.get("/editor/").content.decode()
    assert page.index("Best of all") < page.index("Second best")
    assert "Already skipped" not in page


def test_it_shows_the_next_edition_with_its_slot_and_send_by(editor):
    make_story("A pick", score=3)
    edition = services.draft_edition(size=1)
    page = editor.get("/editor/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"#{edition.number}" in page and "Slot" in page and "Send by" in page


def test_it_counts_readers_who_joined_and_left_over_90_days():
    now = timezone.now()
    Subscriber.objects.create(email="old@example.com", status="active", confirmed_at=now - timedelta(days=200))
    Subscriber.objects.create(email="new@example.com", status="active", confirmed_at=now - timedelta(days=10))
    Subscriber.objects.create(
        email="gone@example.com",
        status="unsubscribed",
        confirmed_at=now - timedelta(days=100),
        left_at=now - timedelta(days=5),
    )
    Subscriber.objects.create(email="waiting@example.com", status="pending")
    points = today.reader_growth(90)
    assert len(points) == 90
    assert points[0][1] == 2 and points[-1][1] == 2
    assert max(value for _day, value in points) == 3


def test_it_draws_reader_growth_as_svg_and_shows_the_queue(editor):
    Subscriber.objects.create(email="a@example.com", status="active", confirmed_at=timezone.now())
    page = editor.get("/editor/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "<svg" in page and "<polyline" in page
    assert "대기 중인 작업" in page and "마지막 수집" in page
