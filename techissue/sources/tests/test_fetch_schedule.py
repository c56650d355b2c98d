"""When a feed is fetched next: every interval when healthy, backing off when it fails, Retry-After obeyed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from techissue.sources.claiming import CLAIM_FOR, claim_due_feeds
from techissue.sources.collect import FeedOutcome
from techissue.sources.models import Feed
from techissue.sources.storing import record_outcome

pytestmark = pytest.mark.django_db


def outcome(feed: Feed, ok: bool, retry_after: int | None = None) -> FeedOutcome:
    return FeedOutcome(
        feed_id=feed.id,
        ok=ok,
        error_kind=None if ok else "http_status",
        error_message=None if ok else "the server answered 503 Service Unavailable",
        not_modified=False,
        etag=None,
        last_modified=None,
        retry_after=retry_after,
        feed_title="Outlet",
        site_url=None,
        entries=[],
        elapsed=0.1,
    )


def test_it_fetches_a_healthy_feed_again_after_the_interval(settings):
    settings.TECHISSUE_FETCH_INTERVAL_MINUTES = 15
    feed = Feed.objects.create(url="http://127.0.0.1:9/feed.xml")
    now = timezone.now()
    record_outcome(feed, outcome(feed, ok=True), now)
    delay = feed.next_fetch_at - now
    assert timedelta(minutes=13) <= delay <= timedelta(minutes=17)
    assert feed.status == "ok" and feed.error_count == 0


def test_it_backs_off_exponentially_up_to_a_day(settings):
    settings.TECHISSUE_FETCH_INTERVAL_MINUTES = 15
    feed = Feed.objects.create(url="http://127.0.0.1:9/feed.xml")
    now = timezone.now()
    delays = []
    for _ in range(12):
        record_outcome(feed, outcome(feed, ok=False), now)
        delays.append(feed.next_fetch_at - now)
    assert feed.status == "error"
    assert feed.error_count == 12
    assert "503" in feed.last_error
    # Doubling with ±25 % jitter: each step is at least 2 × 0.75 / 1.25 = 1.2 times the one before.
    assert delays[1] > delays[0] * 1.19
    assert delays[4] > delays[0] * 8
    assert max(delays) <= timedelta(days=1)
    assert delays[-1] >= timedelta(hours=20)


def test_it_recovers_its_rhythm_after_a_success(settings):
    settings.TECHISSUE_FETCH_INTERVAL_MINUTES = 15
    feed = Feed.objects.create(url="http://127.0.0.1:9/feed.xml", error_count=6, status="error", last_error="x")
    now = timezone.now()
    record_outcome(feed, outcome(feed, ok=True), now)
    assert feed.error_count == 0 and feed.last_error == ""
    assert feed.next_fetch_at - now <= timedelta(minutes=17)


def test_it_obeys_retry_after(settings):
    settings.TECHISSUE_FETCH_INTERVAL_MINUTES = 15
    feed = Feed.objects.create(url="http://127.0.0.1:9/feed.xml")
    now = timezone.now()
    record_outcome(feed, outcome(feed, ok=False, retry_after=7200), now)
    assert feed.next_fetch_at - now >= timedelta(hours=2)


def test_it_lets_only_one_worker_claim_a_due_feed():
    Feed.objects.create(url="http://127.0.0.1:9/a.xml")
    Feed.objects.create(url="http://127.0.0.1:9/b.xml")
    first = claim_due_feeds()
    second = claim_due_feeds()
    assert len(first) == 2
    assert second == []


def test_it_takes_back_a_claim_that_expired():
    feed = Feed.objects.create(url="http://127.0.0.1:9/a.xml")
    claim_due_feeds()
    later = timezone.now() + CLAIM_FOR + timedelta(seconds=1)
    assert [f.id for f in claim_due_feeds(now=later)] == [feed.id]
