"""Storing what a fetch brought: one row per article, and the feed's health and next fetch."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from techissue import events
from techissue.sources.canonical import canonicalize, web_url
from techissue.sources.claiming import next_fetch_after
from techissue.sources.collect import CollectedEntry, FeedOutcome
from techissue.sources.models import Article, Feed


def store_entry(feed: Feed, entry: CollectedEntry, outlet: str = "") -> tuple[Article, bool]:
    """One row per article: found again by (feed, GUID), then by canonical URL; otherwise created.

    Only http(s) links are stored: a `javascript:` or `data:` link from a feed is dropped here, on the
    one path every article takes, so no page (the desk, the archive, a mail) can ever link it.
    """
    link, hint = web_url(entry.url), web_url(entry.canonical_url)
    if link:
        canonical_url = canonicalize(hint or link)
    else:
        # An entry with no link at all: a reader still shows its text, so keep it under a stable
        # address of its own inside the feed (a fragment, which canonicalize would drop).
        canonical_url = f"{feed.url}#entry-{hashlib.sha256(entry.guid.encode()).hexdigest()[:16]}"
    existing = (
        Article.objects.filter(feed=feed, guid=entry.guid[:2000]).first()
        or Article.objects.filter(canonical_url=canonical_url).first()
    )
    if existing is not None:
        Article.objects.filter(id=existing.id).update(times_seen=F("times_seen") + 1)
        return existing, False
    lang = feed.lang or entry.lang or ""
    article = Article(
        feed=feed,
        outlet=(feed.title or outlet or "")[:300],
        guid=entry.guid[:2000],
        url=(link or web_url(feed.site_url) or feed.url)[:2000],
        canonical_url=canonical_url[:2000],
        title=(entry.title or "")[:1000],
        author=(entry.author or "")[:300],
        published_at=entry.published,
        summary=entry.summary or "",
        text=entry.text or "",
        html=entry.html or "",
        lead_image=web_url(entry.lead_image)[:2000],
        lang=lang[:8],
        full_text_source=entry.full_text_source,
        page_error=entry.page_error or "",
        decoding_note=(entry.decoding_note or "")[:300],
    )
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError:
        # Another worker stored the same article a moment ago: that row is the one.
        found = Article.objects.filter(canonical_url=canonical_url).first() or Article.objects.get(
            feed=feed, guid=article.guid
        )
        return found, False
    return article, True


def record_outcome(feed: Feed, outcome: FeedOutcome, now: datetime | None = None) -> tuple[int, int]:
    """Store a fetched feed's entries and its health; returns (new articles, articles seen again)."""
    now = now or timezone.now()
    created = seen = 0
    for entry in outcome.entries:
        _, is_new = store_entry(feed, entry, outcome.feed_title or "")
        created += is_new
        seen += not is_new
    feed.last_fetched_at = now
    if outcome.ok:
        feed.status = Feed.Status.OK
        feed.last_error = ""
        feed.error_kind = ""
        feed.error_count = 0
        feed.last_success_at = now
        if not outcome.not_modified:
            feed.etag = (outcome.etag or "")[:500]
            feed.last_modified = (outcome.last_modified or "")[:100]
        if outcome.feed_title and not feed.title:
            feed.title = outcome.feed_title[:300]
        if outcome.site_url and not feed.site_url:
            feed.site_url = outcome.site_url[:2000]
    else:
        feed.status = Feed.Status.ERROR
        feed.last_error = outcome.error_message or "unknown error"
        feed.error_kind = outcome.error_kind or ""
        feed.error_count += 1
    feed.next_fetch_at = next_fetch_after(feed, outcome, now)
    feed.claimed_until = None
    feed.save()
    if feed.status == Feed.Status.ERROR and feed.error_count == 1:  # it just started failing
        events.announce("feed.failing", id=feed.pk, url=feed.url, title=feed.title, error=feed.last_error)
    return created, seen
