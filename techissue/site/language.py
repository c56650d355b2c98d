"""The readers' language switch on the public site: a plain link that sets the language cookie and goes back."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

ONE_YEAR = 365 * 24 * 3600


def choose_language(request: HttpRequest) -> HttpResponse:
    """GET ?language=ko|en&next=/path: a link works on every page, exported ones included (no form, no token).

    Only a preference cookie changes, so a GET is safe here; Django's set_language wants a POST with a
    CSRF token, which the exported static pages do not carry.
    """
    language = request.GET.get("language", "")
    # Pages rendered without a request (the static export) link without `next`: go back where the link was.
    target = request.GET.get("next") or request.headers.get("Referer", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if language in {code for code, _name in settings.LANGUAGES}:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=ONE_YEAR,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
    return response
