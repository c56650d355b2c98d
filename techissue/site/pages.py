"""The archive's pages rendered in the edition's language and cached until an edition changes."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from techissue.editions.markup import render_markdown
from techissue.editions.models import Edition
from techissue.editions.render import absolute_url, edition_context
from techissue.site import magazine

ARCHIVE_PAGE_SIZE = 20
CACHE_SECONDS = 24 * 3600


def archive_version() -> str:
    """Changes whenever any published edition changes: neighbours' links and the index depend on all of them."""
    latest = Edition.objects.published().aggregate(latest=Max("updated_at"))["latest"]
    return latest.isoformat() if latest else "empty"


def neighbours(edition: Edition) -> tuple[Edition | None, Edition | None]:
    """The previous (older) and next (newer) published editions."""
    published = Edition.objects.published()
    older = published.filter(number__lt=edition.number).order_by("-number").first()
    newer = published.filter(number__gt=edition.number).order_by("number").first()
    return older, newer


def render_edition_page(edition: Edition) -> str:
    """The reading page of one edition: the same bytes for every reader, so that a static copy can stand in for it.

    The subscribe form's CSRF token is not in the HTML: a few lines of script read it from the `csrftoken`
    cookie (fetching /csrf/ first when there is none), so the page holds nothing per reader.
    """
    with translation.override(edition.language):
        context = edition_context(edition)
        older, newer = neighbours(edition)
        context.update(
            {
                "editorial_html": render_markdown(edition.editorial_md),
                "older": older,
                "newer": newer,
                "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
                "description": edition.subtitle or _first_comment(context),
                "card_url": absolute_url(reverse("site:edition_card", args=[edition.number, edition.slug])),
                "post_url": _editorial_url(edition),
            }
        )
        return render_to_string("site/edition.html", context)


def _editorial_url(edition: Edition) -> str:
    """The address of the edition's editorial as a post, when it has an editorial."""
    if not edition.editorial_md.strip():
        return ""
    return reverse("site:editorial", kwargs={"number": edition.number, "slug": edition.slug})


def _first_comment(context: dict[str, object]) -> str:
    picks = context.get("picks") or []
    return next((pick.comment for pick in picks if pick.comment), "")[:200]  # type: ignore[attr-defined]


def cached_edition_page(edition: Edition) -> str:
    """The edition page from the cache, keyed by its own and the archive's last change."""
    key = f"site:edition:{edition.pk}:{edition.updated_at.isoformat()}:{archive_version()}"
    html = cache.get(key)
    if html is None:
        html = render_edition_page(edition)
        cache.set(key, html, CACHE_SECONDS)
    return html


def archive_page(number: int | str | None) -> Page:
    paginator = Paginator(Edition.objects.published(), ARCHIVE_PAGE_SIZE)
    return paginator.get_page(number)


def cached_archive_page(page_number: int | str | None, language: str) -> tuple[str, int]:
    """The archive index page (HTML and its real page number), in the reader's language."""
    page = archive_page(page_number)
    key = f"site:archive:{language}:{page.number}:{archive_version()}"
    html = cache.get(key)
    if html is None:
        with translation.override(language):
            context = {
                "page": page,
                "editions": list(page.object_list),
                "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
            }
            html = render_to_string("site/archive.html", context)
        cache.set(key, html, CACHE_SECONDS)
    return html, page.number


def _magazine_cache_key(*parts: object) -> str:
    return "site:magazine:" + ":".join(str(part) for part in parts) + ":" + magazine.magazine_version()


def render_post_page(entry: magazine.Entry) -> str:
    """A post's reading page: title, subtitle, cover, byline, date, reading time, text, then its edition's picks."""
    with translation.override(entry.language):
        older, newer = magazine.neighbours(entry)
        picks = list(entry.edition.picks.all()) if entry.edition else []
        when = timezone.localtime(entry.date)
        context = {
            "entry": entry,
            "body_html": render_markdown(entry.body_md),
            "picks": picks,
            "older": older,
            "newer": newer,
            "date": date_format(when, "DATE_FORMAT"),
            "date_iso": when.isoformat(),
            "card_url": absolute_url(entry.card_url),
            "description": entry.subtitle or magazine.shorten(magazine._plain(entry.body_md), 160),
            "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
        }
        return render_to_string("site/post.html", context)


def cached_post_page(entry: magazine.Entry) -> str:
    key = _magazine_cache_key("post", entry.url)
    html = cache.get(key)
    if html is None:
        html = render_post_page(entry)
        cache.set(key, html, CACHE_SECONDS)
    return html


def cached_magazine_page(page_number: int | str | None, language: str) -> tuple[str, int]:
    """The magazine's index page (HTML and its real page number), in the reader's language."""
    paginator = Paginator(magazine.entries(), ARCHIVE_PAGE_SIZE)
    page = paginator.get_page(page_number)
    key = _magazine_cache_key("index", language, page.number)
    html = cache.get(key)
    if html is None:
        with translation.override(language):
            context = {"page": page, "entries": list(page.object_list), "csrf_cookie_name": settings.CSRF_COOKIE_NAME}
            html = render_to_string("site/magazine.html", context)
        cache.set(key, html, CACHE_SECONDS)
    return html, page.number


def edition_card_label(edition: Edition) -> str:
    with translation.override(edition.language):
        when = timezone.localtime(edition.published_at or edition.updated_at)
        return f"#{edition.number} · {date_format(when, 'DATE_FORMAT')}"


def entry_card_label(entry: magazine.Entry) -> str:
    with translation.override(entry.language):
        return f"{entry.byline} · {date_format(timezone.localtime(entry.date), 'DATE_FORMAT')}"
