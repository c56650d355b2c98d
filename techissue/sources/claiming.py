"""Which feeds to fetch: claim the due ones for this worker, and decide when each is due again."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from techissue.sources.collect import FeedOutcome
from techissue.sources.models import Feed

MAX_BACKOFF = timedelta(days=1)
CLAIM_FOR = timedelta(minutes=10)


def claim_due_feeds(
    now: datetime | None = None,
    limit: int | None = None,
    feed_ids: list[int] | None = None,
) -> list[Feed]:
    """Take the due feeds for this process: a conditional UPDATE, so two workers never fetch one feed at once."""
    now = now or timezone.now()
    candidates = Feed.objects.filter(id__in=feed_ids) if feed_ids else Feed.objects.due(now)
    ids = list(candidates.values_list("id", flat=True)[:limit] if limit else candidates.values_list("id", flat=True))
    claimed: list[int] = []
    until = now + CLAIM_FOR
    for feed_id in ids:
        took = (
            Feed.objects.filter(id=feed_id)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
            .update(claimed_until=until)
        )
        if took:
            claimed.append(feed_id)
    return list(Feed.objects.filter(id__in=claimed).order_by("id"))


def _jitter(delta: timedelta, spread: float = 0.1) -> timedelta:
    return delta * (1 + random.uniform(-spread, spread))


def next_fetch_after(feed: Feed, outcome: FeedOutcome, now: datetime) -> datetime:
    """Every interval when healthy; exponential backoff with jitter (up to a day) when failing; Retry-After wins."""
    interval = timedelta(minutes=settings.TECHISSUE_FETCH_INTERVAL_MINUTES)
    if outcome.ok:
        delay = _jitter(interval)
    else:
        delay = min(
            MAX_BACKOFF,
            _jitter(interval * (2 ** min(feed.error_count, 10)), spread=0.25),
        )
    if outcome.retry_after:
        delay = max(
            delay,
            timedelta(seconds=min(outcome.retry_after, MAX_BACKOFF.total_seconds())),
        )
    return now + delay
