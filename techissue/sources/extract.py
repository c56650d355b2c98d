"""Article pages to clean text and HTML with trafilatura; a pure function, safe for a process pool."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urljoin

from .decoding import decode_bytes, html_declared_encoding
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


def _parse_timestamp(value: str | None) -> datetime | None:
    """An ISO 8601 timestamp or date as an aware UTC datetime; a date alone means 00:00 UTC."""
    if not value:
        return None
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(value[:10]), datetime.min.time())
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
    2. read the head ourselves for `<link rel=canonical>`, the publication time and `lang`;
    3. trafilatura extracts the main text as HTML (formatting, links, images kept), which is
       then sanitised with our allow-list and made absolute against `url`;
    4. language: detected from the text; the page's own `lang` is the fallback, since site
       templates often carry a wrong one.
    A top-level function with picklable arguments and result, so it runs in a ProcessPoolExecutor.
    """
    text, _codec = decode_bytes(html, http_charset, html_declared_encoding(html))
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
    )
    body_html = clean_html(document.text or "", base_url=url) if document is not None else ""
    body_text = html_to_text(body_html)
    meta = head.meta
    published = next(
        (moment for key in PUBLISHED_META_KEYS if (moment := _parse_timestamp(meta.get(key)))),
        None,
    )
    if published is None and document is not None:
        published = _parse_timestamp(document.date)
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
    )
