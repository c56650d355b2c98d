"""The security headers of every page: one Content-Security-Policy, Permissions-Policy, and their static form.

Django's answers get them from middleware (django-csp for the CSP, `HeadersMiddleware` for the rest).
The exported static pages get the same text from nginx: `docs/nginx.conf.example` carries it, and a test
compares the two, so the policy is written once here and copied there by hand when it changes.
"""

from __future__ import annotations

from collections.abc import Callable

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

# Scripts: only files from our own origin, or an inline <script nonce="{{ request.csp_nonce }}"> in a page
# Django renders per request. No eval, no inline handlers (onclick=), no javascript: URLs.
# Styles may be inline (the site inlines its stylesheet so that one request is one page): a style cannot
# run code, and outside markup reaches pages only through the sanitiser, which drops style attributes.
CSP_DIRECTIVES: dict[str, list[object]] = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "https:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [NONE],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}

# Nothing on the site needs a camera, a microphone, a location or payments; nor does anything it embeds.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)


def csp_text(nonce: str | None = None) -> str:
    """The policy as a header value; without a nonce it is what nginx sends with the static pages."""
    parts = []
    for directive, sources in CSP_DIRECTIVES.items():
        words = [str(source) for source in sources if source is not NONCE]
        if nonce and NONCE in sources:
            words.append(f"'nonce-{nonce}'")
        parts.append(" ".join([directive, *words]))
    return "; ".join(parts)


def hsts_text() -> str:
    """The Strict-Transport-Security value Django's SecurityMiddleware sends (empty when HSTS is off)."""
    seconds = getattr(settings, "SECURE_HSTS_SECONDS", 0)
    if not seconds:
        return ""
    value = f"max-age={seconds}"
    if getattr(settings, "SECURE_HSTS_INCLUDE_SUBDOMAINS", False):
        value += "; includeSubDomains"
    if getattr(settings, "SECURE_HSTS_PRELOAD", False):
        value += "; preload"
    return value


class HeadersMiddleware:
    """Adds Permissions-Policy to every answer that has none (Django has no setting for it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
