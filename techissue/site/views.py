"""The public archive: editions, the magazine's posts, search, social cards, robots.txt and the CSRF cookie."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from techissue.editions.models import Edition
from techissue.site import cards, magazine, pages, search
from techissue.site.models import Post


@require_safe
def archive(request: HttpRequest) -> HttpResponse:
    html, _number = pages.cached_archive_page(request.GET.get("page"), translation.get_language() or "ko")
    return HttpResponse(html)


@require_safe
def edition(request: HttpRequest, number: int, slug: str) -> HttpResponse:
    found = Edition.objects.published().filter(number=number).first()
    if found is None:
        raise Http404("no such edition")
    if slug != found.slug:
        return HttpResponsePermanentRedirect(found.get_absolute_url())
    # No token and no cookie here: the page is the same for everyone, like its static copy (see export.py).
    response = HttpResponse(pages.cached_edition_page(found))
    response["Content-Language"] = found.language
    return response


@require_safe
def csrf_cookie(request: HttpRequest) -> HttpResponse:
    """Set the `csrftoken` cookie that the subscribe box's script reads; the body is empty."""
    get_token(request)  # CsrfViewMiddleware sets the cookie on the way out
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {settings.SITE_URL}{reverse('site:sitemap')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


FAVICON_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#2346d6"/>'
    '<text x="16" y="23" font-size="20" text-anchor="middle" fill="#fff" font-family="sans-serif">t</text></svg>'
)


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """A small icon, so that browsers asking for /favicon.ico (the admin's pages too) get no 404."""
    response = HttpResponse(FAVICON_SVG, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=604800"
    return response


def _published_edition(number: int) -> Edition:
    found = Edition.objects.published().select_related("post").filter(number=number).first()
    if found is None:
        raise Http404("no such edition")
    return found


@require_safe
def editorial(request: HttpRequest, number: int, slug: str) -> HttpResponse:
    """An edition's editorial as a post of the magazine."""
    found = _published_edition(number)
    if not found.editorial_md.strip():
        raise Http404("this edition has no editorial")
    if slug != found.slug:
        return HttpResponsePermanentRedirect(reverse("site:editorial", args=[found.number, found.slug]))
    entry = magazine.entry_for_edition(found)
    response = HttpResponse(pages.cached_post_page(entry))
    response["Content-Language"] = entry.language
    return response


@require_safe
def post(request: HttpRequest, slug: str) -> HttpResponse:
    """A standalone essay of the magazine (an edition's post lives at its edition's address)."""
    found = Post.objects.standalone_published().filter(slug=slug).first()
    if found is None:
        raise Http404("no such post")
    entry = magazine.entry_for_post(found)
    response = HttpResponse(pages.cached_post_page(entry))
    response["Content-Language"] = entry.language
    return response


@require_safe
def magazine_index(request: HttpRequest) -> HttpResponse:
    html, _number = pages.cached_magazine_page(request.GET.get("page"), translation.get_language() or "ko")
    return HttpResponse(html)


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    """Search the archive; a plain GET form, so it works without JavaScript."""
    query = request.GET.get("q", "")[: search.MAX_TERM_LENGTH * search.MAX_TERMS]
    results = search.search(query, request.GET.get("page"))
    context = {"results": results, "query": results.query, "csrf_cookie_name": settings.CSRF_COOKIE_NAME}
    response = render(request, "site/search.html", context)
    response["Cache-Control"] = "no-cache"
    return response


def _png(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def edition_card(request: HttpRequest, number: int, slug: str) -> HttpResponse:
    found = _published_edition(number)
    if slug != found.slug:
        raise Http404("no such edition")
    return _png(cards.card_png(found.title, pages.edition_card_label(found)))


@require_safe
def editorial_card(request: HttpRequest, number: int, slug: str) -> HttpResponse:
    found = _published_edition(number)
    if slug != found.slug or not found.editorial_md.strip():
        raise Http404("no such post")
    entry = magazine.entry_for_edition(found)
    return _png(cards.card_png(entry.title, pages.entry_card_label(entry)))


@require_safe
def post_card(request: HttpRequest, slug: str) -> HttpResponse:
    found = Post.objects.standalone_published().filter(slug=slug).first()
    if found is None:
        raise Http404("no such post")
    entry = magazine.entry_for_post(found)
    return _png(cards.card_png(entry.title, pages.entry_card_label(entry)))


@require_safe
def feed_stylesheet(request: HttpRequest) -> HttpResponse:
    """The XSL stylesheet that turns the Atom feeds into a readable page when a browser opens them."""
    response = render(request, "site/feed.xsl", content_type="text/xsl; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response
