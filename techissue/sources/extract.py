"""Article pages to clean text and HTML with trafilatura; a pure function, safe for a process pool."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urljoin

from .decoding import decode, html_declared_encoding
from .htmlmeta import canonical_link, read_head
from .language import detect_language
from .sanitize import clean_html, html_to_text

PUBLISHED_META_KEYS = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "date",
)


@dataclass
class ExtractedPage:
    """What an article page says about itself; any field may be empty when the page does not say."""

    title: str | None
    author: str | None
    published: datetime | None
    text: str
    html: str
    lead_image: str | None
    canonical_url: str | None
    lang: str
    decoding_note: str = ""
    published_date: date | None = None  # a page that gives only a date: the caller knows the outlet's zone


def _parse_timestamp(value: str | None) -> datetime | date | None:
    """An ISO 8601 timestamp as an aware UTC datetime, or a bare date as a `date` (its zone is unknown here)."""
    if not value:
        return None
    value = value.strip()
    if len(value) <= 10 or ("T" not in value and ":" not in value):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _primary_language_tag(tag: str | None) -> str | None:
    if not tag:
        return None
    return tag.replace("_", "-").split("-")[0].strip().lower() or None


def extract_page(html: bytes, url: str, http_charset: str | None = None) -> ExtractedPage:
    """Extract the article of an HTML page fetched from `url`.

    Steps:
    1. decode: the HTTP charset, then `<meta charset>`, then UTF-8/CP949/detection (EUC-KR
       pages are read as CP949, its superset), NFC-normalised;
    2. read the head ourselves for `<link rel=canonical>`, the publication time and `lang` (a bare
       date is returned as `published_date`: only the caller knows the outlet's time zone);
    3. trafilatura extracts the main text as HTML (formatting, links, images kept; precision
       favoured over recall), which is
       then sanitised with our allow-list and made absolute against `url`;
    4. language: detected from the text; the page's own `lang` is the fallback, since site
       templates often carry a wrong one.
    A top-level function with picklable arguments and result, so it runs in a ProcessPoolExecutor.
    """
    decoded = decode(html, http_charset, html_declared_encoding(html))
    text = decoded.text
    head = read_head(text, url)
    # Imported here: trafilatura (with dateparser and friends) weighs tens of MB, and the fetching
    # process never needs it when extraction runs in worker processes.
    from trafilatura import extract_with_metadata

    document = extract_with_metadata(
        text,
        url=url,
        output_format="html",
        include_comments=False,
        include_formatting=True,
        include_links=True,
        include_images=True,
        include_tables=True,
        # Big outlets wrap articles in headline lists and boxes: prefer losing a line to keeping them.
        favor_precision=True,
    )
    body_html = clean_html(document.text or "", base_url=url) if document is not None else ""
    body_text = html_to_text(body_html)
    meta = head.meta
    stamps = [_parse_timestamp(meta.get(key)) for key in PUBLISHED_META_KEYS]
    if document is not None:
        stamps.append(_parse_timestamp(document.date))
    published = next((stamp for stamp in stamps if isinstance(stamp, datetime)), None)
    published_date = next(
        (stamp for stamp in stamps if isinstance(stamp, date) and not isinstance(stamp, datetime)), None
    )
    image = (document.image if document is not None else None) or meta.get("og:image")
    title = (document.title if document is not None else None) or meta.get("og:title")
    lang = detect_language(f"{title or ''}\n{body_text}")
    if lang == "und":
        lang = (
            _primary_language_tag(head.lang)
            or _primary_language_tag(document.language if document is not None else None)
            or "und"
        )
    return ExtractedPage(
        title=title,
        author=(document.author if document is not None else None) or meta.get("author") or None,
        published=published,
        text=body_text,
        html=body_html,
        lead_image=urljoin(url, image) if image else None,
        canonical_url=canonical_link(head),
        lang=lang,
        decoding_note=decoded.note,
        published_date=None if published is not None else published_date,
    )
