"""Renders a whole corpus into the bytes the newsroom serves, keyed by URL path."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from datetime import datetime

from techissue.newsroom.corpus import Corpus
from techissue.newsroom.feeds import FEED_CONTENT_TYPES, render_feed
from techissue.newsroom.links import SiteLinks
from techissue.newsroom.pages import (
    render_article_page,
    render_home_page,
    render_index_page,
    render_opml,
)

IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg"}


@dataclass(frozen=True)
class Resource:
    """One servable file: its bytes, its Content-Type (with charset for text) and its date."""

    body: bytes
    content_type: str
    last_modified: datetime


def _encode(text: str, encoding: str) -> bytes:
    # EUC-KR lacks some Hangul syllables and symbols; real legacy sites fall back to character
    # references, which both XML and HTML parsers resolve.
    return text.encode(encoding, errors="xmlcharrefreplace")


def render_site(corpus: Corpus, base_url: str, shift_to: datetime | None = None) -> dict[str, Resource]:
    """Every path of the site (`/`, `/opml.xml`, `/<outlet>/…`, `/images/…`) and its resource.

    1. Shift dates when asked, so that the newest article lands at `shift_to`.
    2. Per outlet: the feed, the home page and one page per article, in the outlet's encoding.
    3. The root index, the OPML list, robots.txt and the images.
    """
    if shift_to is not None:
        corpus = corpus.shifted(shift_to)
    links = SiteLinks.for_corpus(corpus, base_url)
    newest = corpus.newest() if corpus.articles else datetime.fromtimestamp(0).astimezone()
    site: dict[str, Resource] = {}
    for outlet in corpus.outlets:
        articles = corpus.articles_of(outlet.slug)
        outlet_date = articles[0].published if articles else newest
        charset = f"; charset={outlet.encoding}"
        html_type = "text/html" + charset
        site[f"/{outlet.slug}/feed.xml"] = Resource(
            _encode(render_feed(outlet, articles, links), outlet.encoding),
            FEED_CONTENT_TYPES[outlet.format] + charset,
            outlet_date,
        )
        site[f"/{outlet.slug}/"] = Resource(
            _encode(render_home_page(outlet, corpus, links), outlet.encoding), html_type, outlet_date
        )
        for article in articles:
            page = render_article_page(outlet, article, corpus, links)
            site[f"/{outlet.slug}/{article.slug}.html"] = Resource(
                _encode(page, outlet.encoding), html_type, article.published
            )
    site["/"] = Resource(render_index_page(corpus, links).encode(), "text/html; charset=utf-8", newest)
    site["/opml.xml"] = Resource(render_opml(corpus, links, newest).encode(), "text/x-opml; charset=utf-8", newest)
    site["/robots.txt"] = Resource(b"User-agent: *\nAllow: /\n", "text/plain; charset=utf-8", newest)
    if corpus.images_dir.is_dir():
        for image in sorted(corpus.images_dir.iterdir()):
            if image.is_file():
                kind = IMAGE_TYPES.get(image.suffix.lower()) or mimetypes.guess_type(image.name)[0]
                site[f"/images/{image.name}"] = Resource(image.read_bytes(), kind or "application/octet-stream", newest)
    return site
