"""Feed management: add a feed (with autodiscovery), import and export OPML, list feeds."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from django.db.models import Count

from techissue.sources.fetch import Fetcher, FetchError, FetchPolicy
from techissue.sources.models import Feed
from techissue.sources.opml import OpmlFeed, build_opml, parse_opml
from techissue.sources.parse import ParseError, find_feed_links, parse_feed
from techissue.sources.services import fetch_policy


class FeedError(Exception):
    """A feed could not be added or imported; the message says why, in plain words.

    `kind` names the cause for pages that say it in the reader's language: not_http, weight, no_feed,
    fetch, parse, opml or unreadable; `detail` is the underlying cause (a FetchError's kind for fetch).
    """

    def __init__(self, message: str, kind: str = "", detail: str = ""):
        super().__init__(message)
        self.kind = kind
        self.detail = detail


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
                raise FeedError(
                    f"{url} is not a feed and its page links to no feed ({not_a_feed})", "no_feed"
                ) from None
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
        raise FeedError(f"not an http(s) URL: {url!r}", "not_http")
    if weight is not None and not 0.1 <= weight <= 3.0:
        raise FeedError(f"weight must be between 0.1 and 3, not {weight}", "weight")
    title, site_url = name, ""
    if discover:
        try:
            found = asyncio.run(_discover(url, fetch_policy()))
        except FetchError as error:
            raise FeedError(f"{url}: {error}", "fetch", error.kind) from None
        except ParseError as error:
            raise FeedError(f"{url}: {error}", "parse", str(error)) from None
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
    bad_urls: list[str] = field(default_factory=list)  # the outlines behind `errors`, by name


def import_opml(data: bytes) -> ImportReport:
    """Add every feed an OPML file lists; a bad outline is reported and the rest go in."""
    report = ImportReport()
    try:
        outlines: list[OpmlFeed] = parse_opml(data)
    except ParseError as error:
        raise FeedError(f"the OPML file could not be read: {error}", "opml", str(error)) from None
    for outline in outlines:
        if not outline.url.startswith(("http://", "https://")):
            report.errors.append(f"{outline.title or outline.url!r}: not an http(s) feed URL")
            report.bad_urls.append(outline.title or outline.url)
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
            raise FeedError(f"{source}: {error}", "fetch", error.kind) from None
    try:
        with open(source, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise FeedError(f"cannot read {source}: {error.strerror}", "unreadable") from None


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
