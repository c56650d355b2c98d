"""The collect stage's actions: add and import feeds, fetch the due ones and store their articles."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import multiprocessing
import queue
import random
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from techissue.sources.canonical import canonicalize
from techissue.sources.collect import CollectedEntry, FeedJob, FeedOutcome, collect
from techissue.sources.fetch import Fetcher, FetchError, FetchPolicy
from techissue.sources.models import Article, Feed
from techissue.sources.opml import OpmlFeed, build_opml, parse_opml
from techissue.sources.parse import ParseError, find_feed_links, parse_feed

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(days=1)
CLAIM_FOR = timedelta(minutes=10)


class FeedError(Exception):
    """A feed could not be added or imported; the message says why, in plain words."""


def fetch_policy() -> FetchPolicy:
    site = settings.SITE_URL
    return FetchPolicy(
        deadline=settings.TECHISSUE_FETCH_DEADLINE,
        max_body_bytes=settings.TECHISSUE_FETCH_MAX_BYTES,
        per_host_limit=settings.TECHISSUE_FETCH_PER_HOST,
        max_connections=settings.TECHISSUE_FETCH_CONCURRENCY,
        user_agent=f"techissue/0.1 (+{site}; newsletter feed reader)",
    )


# --- adding feeds -----------------------------------------------------------------------------


@dataclass
class DiscoveredFeed:
    url: str
    title: str
    site_url: str


async def _discover(url: str, policy: FetchPolicy) -> DiscoveredFeed:
    """Fetch URL; when it is a page rather than a feed, follow its `<link rel="alternate">`."""
    async with Fetcher(policy) as fetcher:
        result = await fetcher.get(url)
        try:
            parsed = parse_feed(result.body, result.final_url, result.charset)
            return DiscoveredFeed(result.final_url, parsed.title, parsed.site_url or "")
        except ParseError as not_a_feed:
            text = result.body.decode(result.charset or "utf-8", errors="replace")
            links = find_feed_links(text, result.final_url)
            if not links:
                raise FeedError(f"{url} is not a feed and its page links to no feed ({not_a_feed})") from None
            feed_url = links[0]
            feed_result = await fetcher.get(feed_url)
            parsed = parse_feed(feed_result.body, feed_result.final_url, feed_result.charset)
            return DiscoveredFeed(feed_result.final_url, parsed.title, parsed.site_url or result.final_url)


def add_feed(
    url: str,
    *,
    name: str = "",
    lang: str = "",
    weight: float | None = None,
    discover: bool = True,
) -> Feed:
    """Add a feed by its URL, or by a page URL whose feed is found through autodiscovery."""
    url = url.strip()
    if not url.startswith(("http://", "https://")):
        raise FeedError(f"not an http(s) URL: {url!r}")
    if weight is not None and not 0.1 <= weight <= 3.0:
        raise FeedError(f"weight must be between 0.1 and 3, not {weight}")
    title, site_url = name, ""
    if discover:
        try:
            found = asyncio.run(_discover(url, fetch_policy()))
        except FetchError as error:
            raise FeedError(f"{url}: {error}") from None
        except ParseError as error:
            raise FeedError(f"{url}: {error}") from None
        url, title, site_url = found.url, name or found.title, found.site_url
    feed, created = Feed.objects.get_or_create(url=url, defaults={"title": title[:300], "site_url": site_url[:2000]})
    changed: list[str] = []
    if not created and name and feed.title != name:
        feed.title, changed = name[:300], [*changed, "title"]
    if lang and feed.lang != lang:
        feed.lang, changed = lang, [*changed, "lang"]
    if weight is not None and feed.weight != weight:
        feed.weight, changed = weight, [*changed, "weight"]
    if changed:
        feed.save(update_fields=changed)
    return feed


@dataclass
class ImportReport:
    added: list[Feed] = field(default_factory=list)
    existing: list[Feed] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def import_opml(data: bytes) -> ImportReport:
    """Add every feed an OPML file lists; a bad outline is reported and the rest go in."""
    report = ImportReport()
    try:
        outlines: list[OpmlFeed] = parse_opml(data)
    except ParseError as error:
        raise FeedError(f"the OPML file could not be read: {error}") from None
    for outline in outlines:
        if not outline.url.startswith(("http://", "https://")):
            report.errors.append(f"{outline.title or outline.url!r}: not an http(s) feed URL")
            continue
        feed, created = Feed.objects.get_or_create(
            url=outline.url,
            defaults={
                "title": (outline.title or "")[:300],
                "site_url": (outline.site_url or "")[:2000],
                "lang": (outline.lang or "")[:8],
            },
        )
        (report.added if created else report.existing).append(feed)
    return report


def read_opml_source(source: str) -> bytes:
    """The bytes of an OPML file given as a path or an http(s) URL."""
    if source.startswith(("http://", "https://")):

        async def get() -> bytes:
            async with Fetcher(fetch_policy()) as fetcher:
                return (await fetcher.get(source)).body

        try:
            return asyncio.run(get())
        except FetchError as error:
            raise FeedError(f"{source}: {error}") from None
    try:
        with open(source, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise FeedError(f"cannot read {source}: {error.strerror}") from None


def export_opml() -> bytes:
    feeds = [OpmlFeed(url=f.url, title=f.title, site_url=f.site_url, lang=f.lang) for f in Feed.objects.all()]
    return build_opml(feeds, title="techissue feeds")


def feeds_as_json() -> list[dict[str, object]]:
    """The `feeds list --json` shape of DESIGN.md."""
    rows = Feed.objects.annotate(article_total=Count("articles")).order_by("id")
    return [
        {
            "id": feed.id,
            "url": feed.url,
            "title": feed.title,
            "status": feed.status,
            "last_error": feed.last_error or None,
            "articles": feed.article_total,
            "last_fetched_at": feed.last_fetched_at.isoformat() if feed.last_fetched_at else None,
            "next_fetch_at": feed.next_fetch_at.isoformat() if feed.next_fetch_at else None,
        }
        for feed in rows
    ]


# --- fetching ---------------------------------------------------------------------------------


@dataclass
class FetchSummary:
    feeds_ok: int = 0
    feeds_failed: int = 0
    feeds_unchanged: int = 0
    new_articles: int = 0
    seen_again: int = 0
    seconds: float = 0.0
    failures: list[tuple[Feed, str]] = field(default_factory=list)


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


def content_hash(text: str) -> str:
    """A hash of the text with case, spacing and Unicode form folded: equal for exact copies."""
    folded = " ".join(unicodedata.normalize("NFC", text).lower().split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest() if folded else ""


def store_entry(feed: Feed, entry: CollectedEntry, outlet: str = "") -> tuple[Article, bool]:
    """One row per article: found again by (feed, GUID), then by canonical URL; otherwise created."""
    if entry.url:
        canonical_url = canonicalize(entry.canonical_url or entry.url)
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
        url=(entry.url or feed.site_url or feed.url)[:2000],
        canonical_url=canonical_url[:2000],
        title=(entry.title or "")[:1000],
        author=(entry.author or "")[:300],
        published_at=entry.published,
        summary=entry.summary or "",
        text=entry.text or "",
        html=entry.html or "",
        lead_image=(entry.lead_image or "")[:2000],
        lang=lang[:8],
        full_text_source=entry.full_text_source,
        content_hash=content_hash(entry.text or ""),
        page_error=entry.page_error or "",
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
    return created, seen


def _known_urls(feed: Feed) -> set[str]:
    known: set[str] = set()
    for url, canonical_url in feed.articles.values_list("url", "canonical_url"):
        known.update((url, canonical_url))
    return known


def _run_collector(jobs: list[FeedJob], policy: FetchPolicy, processes: int, out: queue.Queue[object]) -> None:
    """In its own thread and event loop: fetch everything, hand each feed's outcome to the storing thread."""

    async def run() -> None:
        # forkserver: forking this process, which runs threads, could copy a held lock into the child.
        context = multiprocessing.get_context("forkserver")
        pool = ProcessPoolExecutor(max_workers=processes, mp_context=context) if processes > 0 else None
        try:
            async for outcome in collect(jobs, policy, extract_pool=pool):
                out.put(outcome)
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)

    try:
        asyncio.run(run())
    except BaseException as error:  # handed over so the storing thread can report it
        out.put(error)
    finally:
        out.put(None)


def iter_outcomes(jobs: list[FeedJob], policy: FetchPolicy, processes: int) -> Iterator[FeedOutcome]:
    """Outcomes as the collector finishes them; the database work stays on the calling thread."""
    out: queue.Queue[object] = queue.Queue(maxsize=64)
    worker = threading.Thread(target=_run_collector, args=(jobs, policy, processes, out), daemon=True)
    worker.start()
    while True:
        item = out.get()
        if item is None:
            break
        if isinstance(item, BaseException):
            raise item
        assert isinstance(item, FeedOutcome)
        yield item
    worker.join()


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
        )
        for feed in feeds
    ]
    if processes is None:
        processes = settings.TECHISSUE_EXTRACT_PROCESSES
    for outcome in iter_outcomes(jobs, fetch_policy(), processes):
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
