"""The public archive: the index, an edition's reading page, robots.txt and the CSRF cookie for static pages."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from techissue.editions.models import Edition
from techissue.site import pages


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
