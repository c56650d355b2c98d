"""Feeds from bytes: safe XML, the right encoding, entries with absolute links and UTC dates."""

from __future__ import annotations

import calendar
import hashlib
import html
import io
import re
import xml.sax
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_tz
from typing import Any
from urllib.parse import urljoin

import feedparser

from .htmlmeta import read_head
from .sanitize import html_to_text
from .xmlsafety import (
    ParseError,
    as_utf8_document,
    decode_xml,
    expand_internal_entities,
)

__all__ = ["FeedEntry", "ParseError", "ParsedFeed", "find_feed_links", "parse_feed"]

# Below this much text an entry body is a teaser, and the collector fetches the page.
FULL_TEXT_MIN_CHARS = 500
TITLE_FALLBACK_WORDS = 12
FEED_TYPES = {"application/rss+xml", "application/atom+xml"}

# What comes before the root element: the prolog, comments, processing instructions, a DOCTYPE.
_BEFORE_ROOT = re.compile(
    r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>|\s+)*", re.IGNORECASE | re.DOTALL
)
_ROOT_NAME = re.compile(r"<([A-Za-z_][\w.:-]*)")
_TEXT_TYPES = {"text/plain", "text"}


@dataclass
class FeedEntry:
    """One item of a feed. `published` is an aware UTC datetime, or None when missing or broken."""

    guid: str
    url: str
    title: str
    author: str | None
    published: datetime | None
    summary_html: str
    content_html: str
    is_full_text: bool


@dataclass
class ParsedFeed:
    """A feed: its title, its own URL (`link`), the site it belongs to, and its entries."""

    title: str
    link: str
    site_url: str | None
    entries: list[FeedEntry] = field(default_factory=list)
    decoding_note: str = ""
    utc_offset: timedelta | None = None


def _first_words(text: str, count: int = TITLE_FALLBACK_WORDS) -> str:
    words = text.split()
    if len(words) <= count:
        return " ".join(words)
    return " ".join(words[:count]) + "…"


def _published(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                # feedparser's struct_time is already UTC; timegm keeps it so.
                return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
            except (OverflowError, ValueError, TypeError, OSError):
                continue
    return None


def _as_html(value: str, detail: Any) -> str:
    """A feed value as HTML: text values (`type="text"`, plain RSS titles) are escaped, not parsed."""
    kind = (detail or {}).get("type", "text/html")
    return html.escape(value, quote=False) if kind in _TEXT_TYPES else value


def _as_text(value: str, detail: Any) -> str:
    """A feed value as plain text: only HTML values go through HTML-to-text."""
    kind = (detail or {}).get("type", "text/html")
    if kind in _TEXT_TYPES:
        return " ".join(value.split())
    return html_to_text(value)


def _content_html(entry: Any) -> str:
    """The longest content body the entry carries (Atom content, RSS content:encoded)."""
    bodies = [_as_html(part.get("value", ""), part) for part in entry.get("content", []) or []]
    return max(bodies, key=len, default="")


def _offset(entry: Any) -> timedelta | None:
    """The UTC offset an entry's own date was written with (`+0900`), if it gives one."""
    for key in ("published", "updated"):
        parsed = parsedate_tz(entry.get(key) or "")
        if parsed is not None and parsed[9] is not None:
            return timedelta(seconds=parsed[9])
        match = re.search(r"T\d\d:\d\d(?::\d\d(?:\.\d+)?)?([+-])(\d\d):?(\d\d)$", entry.get(key) or "")
        if match:
            sign = 1 if match.group(1) == "+" else -1
            return sign * timedelta(hours=int(match.group(2)), minutes=int(match.group(3)))
    return None


def _feed_offset(entries: list[Any]) -> timedelta | None:
    """The offset most of the feed's dates are written in: the outlet's own time zone."""
    offsets = Counter(offset for entry in entries if (offset := _offset(entry)) is not None)
    return offsets.most_common(1)[0][0] if offsets else None


def _entry(raw: Any, feed_url: str) -> FeedEntry:
    link = (raw.get("link") or "").strip()
    url = urljoin(feed_url, link) if link else ""
    summary_html = _as_html(raw.get("summary", "") or "", raw.get("summary_detail"))
    content_html = _content_html(raw)
    summary_text = html_to_text(summary_html)
    if not content_html and len(summary_text) >= FULL_TEXT_MIN_CHARS:
        content_html = summary_html  # many Korean feeds put the whole article in <description>
    title = _as_text(raw.get("title", "") or "", raw.get("title_detail")).strip()
    if not title:
        title = _first_words(summary_text or html_to_text(content_html))
    published = _published(raw)
    guid = (raw.get("id") or "").strip() or url
    if not guid:
        seed = f"{title}\n{published.isoformat() if published else ''}"
        guid = "sha1:" + hashlib.sha1(seed.encode("utf-8")).hexdigest()
    return FeedEntry(
        guid=guid,
        url=url,
        title=title,
        author=(raw.get("author") or "").strip() or None,
        published=published,
        summary_html=summary_html,
        content_html=content_html,
        is_full_text=len(html_to_text(content_html)) >= FULL_TEXT_MIN_CHARS,
    )


def _only_undefined_entities(error: BaseException | None) -> bool:
    """The strict parser stopped at an undeclared `&name;`, which the lenient one reads past."""
    return isinstance(error, xml.sax.SAXParseException) and "undefined entity" in error.getMessage()


def _broken_xml_message(error: BaseException | None) -> str:
    if isinstance(error, xml.sax.SAXParseException):
        return f"the XML is broken at line {error.getLineNumber()}: {error.getMessage()}"
    return f"the document is not a feed ({error or 'no RSS, Atom or RDF elements found'})"


def parse_feed(body: bytes, url: str, http_charset: str | None = None) -> ParsedFeed:
    """Parse RSS, Atom or RDF bytes fetched from `url` into a ParsedFeed.

    Steps:
    1. decode (BOM, XML prolog, then HTTP charset, then detection) and NFC-normalise;
    2. expand simple internal entities ourselves; refuse external, parameter and oversized ones,
       before any XML parser sees them;
    3. refuse HTML pages (root element `<html>`) and non-XML outright, with a message saying so;
    4. hand feedparser a UTF-8 document whose prolog says UTF-8;
    5. build entries: absolute links, fallback titles and GUIDs, UTC dates, repeated GUIDs dropped.
    """
    if not body.strip():
        raise ParseError("the response is empty")
    decoded = decode_xml(body, http_charset)
    text = expand_internal_entities(decoded.text)
    root = _ROOT_NAME.match(text, _BEFORE_ROOT.match(text).end())  # type: ignore[union-attr]
    if root is not None and root.group(1).lower() == "html":
        raise ParseError("the response is an HTML page, not a feed")
    if not text.lstrip().startswith("<"):
        preview = text.strip()[:40].replace("\n", " ")
        raise ParseError(f"the response is not XML (it starts with {preview!r})")
    parsed = feedparser.parse(
        io.BytesIO(as_utf8_document(text)),
        response_headers={
            "content-type": "application/xml; charset=utf-8",
            "content-location": url,
        },
        sanitize_html=True,
        resolve_relative_uris=True,
    )
    if not parsed.get("version") and not parsed.entries:
        if parsed.get("bozo"):
            raise ParseError(_broken_xml_message(parsed.get("bozo_exception")))
        raise ParseError("the document is XML but not a feed (no RSS, Atom or RDF elements found)")
    if parsed.get("bozo") and not parsed.entries:
        if parsed.get("version") and _only_undefined_entities(parsed.get("bozo_exception")):
            # feedparser read the feed despite an unknown `&name;`: what matters is that it has no items.
            raise ParseError("the feed has no items")
        raise ParseError(_broken_xml_message(parsed.get("bozo_exception")))

    feed = parsed.feed
    self_link = next(
        (link.get("href") for link in feed.get("links", []) if link.get("rel") == "self" and link.get("href")),
        None,
    )
    site_link = feed.get("link")
    entries: list[FeedEntry] = []
    seen_guids: set[str] = set()
    for raw in parsed.entries:
        entry = _entry(raw, url)
        if entry.guid in seen_guids:
            continue  # some feeds repeat an item; the first copy is the one readers saw first
        seen_guids.add(entry.guid)
        entries.append(entry)
    return ParsedFeed(
        title=_as_text(feed.get("title", "") or "", feed.get("title_detail")).strip(),
        link=urljoin(url, self_link) if self_link else url,
        site_url=urljoin(url, site_link) if site_link else None,
        entries=entries,
        decoding_note=decoded.note,
        utc_offset=_feed_offset(parsed.entries),
    )


def find_feed_links(html: str, base_url: str) -> list[str]:
    """Feed URLs a page advertises with `<link rel="alternate" type="application/rss+xml|atom+xml">`."""
    found: list[str] = []
    for rels, kind, href in read_head(html, base_url).links:
        if "alternate" in rels and kind in FEED_TYPES and href not in found:
            found.append(href)
    return found
