"""Articles the editor adds by address: fetched through the polite fetcher, extracted and stored like any other."""

from __future__ import annotations

import asyncio
import hashlib
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from techissue.sources.collect import CollectedEntry, PageNotHtml, _fetch_and_extract
from techissue.sources.extract import ExtractedPage
from techissue.sources.fetch import Fetcher, FetchError
from techissue.sources.language import detect_language
from techissue.sources.models import Article, Feed
from techissue.sources.services import fetch_policy
from techissue.sources.storing import store_entry

# Below this much text, or when most of the text is link labels, the page is an index, a wall or a form.
MIN_ARTICLE_CHARS = 280
MAX_LINK_SHARE = 0.5


class NotAnArticle(Exception):
    """The address could not give an article; `kind` says why ("bad_url", "fetch", "not_html", "not_article")."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(detail or kind)
        self.kind = kind
        self.detail = detail


def by_hand_url() -> str:
    return f"{settings.SITE_URL}/editor/desk/added-by-hand"


def by_hand_feed() -> Feed:
    """The one inactive feed that holds what the editor added by hand (never fetched)."""
    feed, _created = Feed.objects.get_or_create(
        url=by_hand_url(),
        defaults={"title": "", "active": False, "status": Feed.Status.OK},
    )
    return feed


def _link_share(html: str, text: str) -> float:
    linked = sum(len(re.sub(r"<[^>]+>", "", m)) for m in re.findall(r"<a\b[^>]*>(.*?)</a>", html, flags=re.S))
    return linked / max(1, len(text))


def _fetch(url: str) -> tuple[str, ExtractedPage]:
    async def run() -> tuple[str, ExtractedPage]:
        async with Fetcher(fetch_policy()) as fetcher:
            return await _fetch_and_extract(fetcher, url, None)

    return asyncio.run(run())


def add_article(url: str) -> tuple[Article, bool]:
    """Fetch, extract and store the article at `url`; (article, created). Raises NotAnArticle."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise NotAnArticle("bad_url", url)
    try:
        final_url, page = _fetch(url)
    except FetchError as error:
        raise NotAnArticle("fetch", str(error)) from None
    except PageNotHtml as error:
        raise NotAnArticle("not_html", str(error)) from None
    if not page.title or len(page.text) < MIN_ARTICLE_CHARS or _link_share(page.html, page.text) > MAX_LINK_SHARE:
        raise NotAnArticle("not_article", final_url)
    entry = CollectedEntry(
        guid=f"by-hand:{hashlib.sha256(final_url.encode()).hexdigest()[:32]}",
        url=final_url,
        canonical_url=page.canonical_url or final_url,
        title=page.title,
        author=page.author,
        published=page.published or timezone.now(),
        summary="",
        text=page.text,
        html=page.html,
        lead_image=page.lead_image,
        lang=page.lang if page.lang != "und" else detect_language(f"{page.title}\n{page.text}"),
        full_text_source=Article.Source.PAGE,
    )
    outlet = (urlsplit(final_url).hostname or "").removeprefix("www.")
    return store_entry(by_hand_feed(), entry, outlet=outlet)
