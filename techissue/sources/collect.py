"""The collect pipeline without Django: fetch feeds concurrently, fill in teasers from their pages."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from .authors import normalise_author
from .boilerplate import drop_repeated_blocks
from .canonical import canonicalize
from .extract import ExtractedPage, extract_page
from .fetch import Fetcher, FetchError, FetchPolicy
from .language import detect_language
from .parse import FeedEntry, ParseError, parse_feed
from .sanitize import clean_html, html_to_text

HTML_TYPES = {"text/html", "application/xhtml+xml"}
DEFAULT_MAX_PAGES_PER_FEED = 30


class PageNotHtml(Exception):
    """The article link led to a PDF, an image or another non-HTML resource."""


@dataclass
class FeedJob:
    """A feed to fetch, with what we remember from last time."""

    feed_id: int
    url: str
    etag: str | None = None
    last_modified: str | None = None
    known_urls: set[str] = field(default_factory=set)
    time_zone: str = "UTC"  # the fallback zone of bare dates, when the feed's own dates carry no offset
    outlet: str = ""
    known_blocks: dict[str, int] = field(default_factory=dict)  # see boilerplate.drop_repeated_blocks


@dataclass
class CollectedEntry:
    """A feed entry merged with its extracted page.

    `full_text_source` says where `text`/`html` came from: "feed" (the feed carried the full
    article), "page" (extracted from the article page) or "summary" (only the feed's teaser;
    `page_error` then says why the page did not help, if it was tried).
    """

    guid: str
    url: str
    canonical_url: str
    title: str
    author: str | None
    published: datetime | None
    summary: str
    text: str
    html: str
    lead_image: str | None
    lang: str
    full_text_source: str
    page_error: str | None = None
    decoding_note: str = ""
    published_date: date | None = None  # the page gave only a date; resolved in the outlet's zone


@dataclass
class FeedOutcome:
    """What happened to one FeedJob. On failure `ok` is False and error_kind/error_message say why.

    `error_kind` is a FetchError kind, "parse" or "internal". `entries` holds only entries whose
    URL (or canonical URL) was not in the job's `known_urls`; `skipped_known` counts the others.
    """

    feed_id: int
    ok: bool
    error_kind: str | None = None
    error_message: str | None = None
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    retry_after: int | None = None
    feed_title: str | None = None
    site_url: str | None = None
    entries: list[CollectedEntry] = field(default_factory=list)
    elapsed: float = 0.0
    skipped_known: int = 0


ProgressCallback = Callable[[int, int, FeedOutcome], None]


async def collect(
    jobs: list[FeedJob],
    policy: FetchPolicy | None = None,
    on_progress: ProgressCallback | None = None,
    extract_pool: Executor | None = None,
    max_pages_per_feed: int = DEFAULT_MAX_PAGES_PER_FEED,
) -> AsyncIterator[FeedOutcome]:
    """Fetch every job concurrently and yield each FeedOutcome as soon as its feed is done.

    One Fetcher (so one set of per-host limits) serves the feeds and their pages. A feed that
    fails yields an outcome with ok=False and never stops the others; a page that fails keeps
    its entry with the summary. Extraction runs in `extract_pool` (a ProcessPoolExecutor, since
    it is CPU-bound) or, without one, in a thread. `on_progress(done, total, outcome)` is called
    after each feed.
    """
    policy = policy or FetchPolicy()
    async with Fetcher(policy) as fetcher:
        tasks = [asyncio.create_task(_collect_feed(fetcher, job, extract_pool, max_pages_per_feed)) for job in jobs]
        try:
            for done, next_outcome in enumerate(asyncio.as_completed(tasks), start=1):
                outcome = await next_outcome
                if on_progress is not None:
                    on_progress(done, len(tasks), outcome)
                yield outcome
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)


async def _collect_feed(fetcher: Fetcher, job: FeedJob, pool: Executor | None, max_pages: int) -> FeedOutcome:
    started = time.monotonic()
    outcome = FeedOutcome(feed_id=job.feed_id, ok=False)
    try:
        await _fill_outcome(outcome, fetcher, job, pool, max_pages)
    except FetchError as error:
        outcome.error_kind, outcome.error_message = error.kind, str(error)
        outcome.retry_after = error.retry_after
    except ParseError as error:
        outcome.error_kind, outcome.error_message = "parse", str(error)
    except Exception as error:  # one feed's surprise must not stop the run
        outcome.error_kind, outcome.error_message = (
            "internal",
            f"{type(error).__name__}: {error}",
        )
    outcome.elapsed = time.monotonic() - started
    return outcome


async def _fill_outcome(
    outcome: FeedOutcome,
    fetcher: Fetcher,
    job: FeedJob,
    pool: Executor | None,
    max_pages: int,
) -> None:
    result = await fetcher.get(job.url, etag=job.etag, last_modified=job.last_modified)
    outcome.etag = result.etag or job.etag
    outcome.last_modified = result.last_modified or job.last_modified
    outcome.retry_after = result.retry_after
    if result.not_modified:
        outcome.ok, outcome.not_modified = True, True
        return
    feed = parse_feed(result.body, result.final_url, result.charset)
    outcome.feed_title, outcome.site_url = feed.title or None, feed.site_url
    fresh = [entry for entry in feed.entries if not _is_known(entry, job.known_urls)]
    outcome.skipped_known = len(feed.entries) - len(fresh)
    page_budget = max_pages
    coroutines = []
    for entry in fresh:
        wants_page = not entry.is_full_text and bool(entry.url) and page_budget > 0
        page_budget -= wants_page
        coroutines.append(_collect_entry(fetcher, entry, pool, wants_page))
    zone = _zone(feed.utc_offset, job.time_zone)
    outcome.entries = list(await asyncio.gather(*coroutines))
    for collected in outcome.entries:
        if collected.published is None and collected.published_date is not None:
            # A page that gives only a date: midnight where the outlet is, not midnight UTC.
            collected.published = datetime.combine(collected.published_date, datetime.min.time(), zone).astimezone(UTC)
        collected.author = normalise_author(collected.author, collected.url, job.outlet or feed.title)
        if (
            feed.decoding_note
            and "\ufffd" in f"{collected.title}{collected.summary}{collected.text}"
            and not collected.decoding_note
        ):
            collected.decoding_note = f"feed: {feed.decoding_note}"
    drop_repeated_blocks([page for page in outcome.entries if page.full_text_source == "page"], job.known_blocks)
    outcome.ok = True


def _zone(offset: timedelta | None, fallback: str) -> tzinfo:
    """The outlet's time zone: the offset its feed writes dates in, else the configured TIME_ZONE."""
    if offset is not None:
        return timezone(offset)
    try:
        return ZoneInfo(fallback)
    except (ValueError, KeyError):
        return UTC


def _is_known(entry: FeedEntry, known_urls: set[str]) -> bool:
    return bool(entry.url) and (entry.url in known_urls or canonicalize(entry.url) in known_urls)


async def _collect_entry(fetcher: Fetcher, entry: FeedEntry, pool: Executor | None, wants_page: bool) -> CollectedEntry:
    summary_html = clean_html(entry.summary_html, base_url=entry.url or None)
    summary = html_to_text(summary_html)
    collected = CollectedEntry(
        guid=entry.guid,
        url=entry.url,
        canonical_url=canonicalize(entry.url) if entry.url else "",
        title=entry.title,
        author=entry.author,
        published=entry.published,
        summary=summary,
        text=summary,
        html=summary_html,
        lead_image=None,
        lang="und",
        full_text_source="summary",
    )
    if entry.is_full_text:
        collected.html = clean_html(entry.content_html, base_url=entry.url or None)
        collected.text = html_to_text(collected.html)
        collected.full_text_source = "feed"
    page_lang = "und"
    if wants_page and not entry.is_full_text:
        try:
            page = await _fetch_and_extract(fetcher, entry.url, pool)
        except FetchError as error:
            collected.page_error = f"{error.kind}: {error}"
        except PageNotHtml as error:
            collected.page_error = str(error)
        except Exception as error:  # a broken page keeps its entry
            cause = _leaf(error)
            collected.page_error = f"extraction failed: {type(cause).__name__}: {cause}"
        else:
            _merge_page(collected, page)
            page_lang = page[1].lang
    collected.lang = detect_language(f"{collected.title}\n{collected.text}")
    if collected.lang == "und":
        collected.lang = page_lang  # the page's own `lang`, the fallback extract_page computed
    return collected


def _leaf(error: BaseException) -> BaseException:
    """The first real exception inside (nested) exception groups, which name no cause themselves."""
    while isinstance(error, BaseExceptionGroup) and error.exceptions:
        error = error.exceptions[0]
    return error


async def _fetch_and_extract(fetcher: Fetcher, url: str, pool: Executor | None) -> tuple[str, ExtractedPage]:
    result = await fetcher.get(url)
    if result.content_type and result.content_type not in HTML_TYPES:
        raise PageNotHtml(f"the page is {result.content_type}, not HTML")
    loop = asyncio.get_running_loop()
    if pool is not None:
        page = await loop.run_in_executor(pool, extract_page, result.body, result.final_url, result.charset)
    else:
        page = await asyncio.to_thread(extract_page, result.body, result.final_url, result.charset)
    return result.final_url, page


def _merge_page(collected: CollectedEntry, fetched: tuple[str, ExtractedPage]) -> None:
    final_url, page = fetched
    collected.canonical_url = canonicalize(final_url, page.canonical_url)
    collected.lead_image = page.lead_image
    collected.author = collected.author or page.author
    collected.published = collected.published or page.published
    collected.published_date = page.published_date
    if page.decoding_note:
        collected.decoding_note = f"page: {page.decoding_note}"
    collected.title = collected.title or page.title or ""
    # A page whose "article" is shorter than the feed's teaser was a cookie wall or an index.
    if len(page.text) > len(collected.summary):
        collected.text, collected.html = page.text, page.html
        collected.full_text_source = "page"
    else:
        collected.page_error = "the page had less text than the feed's summary"
