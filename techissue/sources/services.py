"""The collect stage's run: fetch the claimed feeds through the collector and store what they carry."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings

from techissue.sources.boilerplate import known_block_counts
from techissue.sources.bridge import iter_outcomes
from techissue.sources.claiming import claim_due_feeds
from techissue.sources.collect import FeedJob, FeedOutcome
from techissue.sources.fetch import FetchPolicy, user_agent_for
from techissue.sources.models import Article, Feed
from techissue.sources.storing import record_outcome

# The per-site boilerplate pass compares new pages with this many of the feed's latest ones.
KNOWN_PAGES = 20


def fetch_policy() -> FetchPolicy:
    site = settings.SITE_URL
    return FetchPolicy(
        deadline=settings.TECHISSUE_FETCH_DEADLINE,
        max_body_bytes=settings.TECHISSUE_FETCH_MAX_BYTES,
        per_host_limit=settings.TECHISSUE_FETCH_PER_HOST,
        max_connections=settings.TECHISSUE_FETCH_CONCURRENCY,
        user_agent=user_agent_for(site),
    )


@dataclass
class FetchSummary:
    feeds_ok: int = 0
    feeds_failed: int = 0
    feeds_unchanged: int = 0
    new_articles: int = 0
    seen_again: int = 0
    seconds: float = 0.0
    failures: list[tuple[Feed, str]] = field(default_factory=list)


def _known_blocks(feed: Feed) -> dict[str, int]:
    """Block fingerprints of the feed's latest extracted pages, for the per-site boilerplate pass."""
    texts = feed.articles.filter(full_text_source=Article.Source.PAGE).order_by("-id").values_list("text", flat=True)
    return known_block_counts(texts[:KNOWN_PAGES])


def _known_urls(feed: Feed) -> set[str]:
    known: set[str] = set()
    for url, canonical_url in feed.articles.values_list("url", "canonical_url"):
        known.update((url, canonical_url))
    return known


def fetch_feeds(
    feeds: list[Feed],
    on_feed_done: Callable[[Feed, FeedOutcome], None] | None = None,
    processes: int | None = None,
) -> FetchSummary:
    """Fetch these (already claimed) feeds concurrently and store what they carry."""
    started = time.monotonic()
    summary = FetchSummary()
    by_id = {feed.id: feed for feed in feeds}
    jobs = [
        FeedJob(
            feed.id,
            feed.url,
            feed.etag or None,
            feed.last_modified or None,
            _known_urls(feed),
            time_zone=settings.TIME_ZONE,
            outlet=feed.title,
            known_blocks=_known_blocks(feed),
        )
        for feed in feeds
    ]
    if processes is None:
        processes = settings.TECHISSUE_EXTRACT_PROCESSES
    with closing(iter_outcomes(jobs, fetch_policy(), processes)) as outcomes:
        for outcome in outcomes:
            feed = by_id[outcome.feed_id]
            created, seen = record_outcome(feed, outcome)
            summary.new_articles += created
            summary.seen_again += seen
            if not outcome.ok:
                summary.feeds_failed += 1
                summary.failures.append((feed, feed.last_error))
            elif outcome.not_modified:
                summary.feeds_unchanged += 1
            else:
                summary.feeds_ok += 1
            if on_feed_done is not None:
                on_feed_done(feed, outcome)
    summary.seconds = time.monotonic() - started
    return summary


def fetch_due(
    now: datetime | None = None,
    on_feed_done: Callable[[Feed, FeedOutcome], None] | None = None,
) -> FetchSummary:
    """Claim every feed that is due and fetch them."""
    return fetch_feeds(claim_due_feeds(now), on_feed_done)
