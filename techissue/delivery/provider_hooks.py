"""Email providers' webhooks: mount only the provider that EMAIL_URL names, and only behind its credentials.

django-anymail mounts every provider it knows and, without a WEBHOOK_SECRET, only warns. Here a request is
passed to anymail's view only when (1) EMAIL_URL selects that provider, (2) ANYMAIL_WEBHOOK_SECRET is set,
and (3) the request carries that secret as HTTP basic auth; otherwise it is a 404 (not mounted) or a 403.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from anymail import urls as anymail_urls
from anymail.exceptions import AnymailWebhookValidationFailure
from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.urls import URLPattern
from django.views.decorators.csrf import csrf_exempt

log = logging.getLogger(__name__)
ANYMAIL_BACKENDS = "anymail.backends."


def configured_provider() -> str:
    """The anymail provider mail goes through (`sendgrid`, `amazon_ses`, …), or "" for SMTP and the rest."""
    backend = str(getattr(settings, "EMAIL_BACKEND", ""))
    if not backend.startswith(ANYMAIL_BACKENDS):
        return ""
    return backend[len(ANYMAIL_BACKENDS) :].partition(".")[0]


def webhook_secret() -> str:
    """The `user:password` the provider must send as basic auth, as anymail reads it."""
    anymail = getattr(settings, "ANYMAIL", None) or {}
    return str(anymail.get("WEBHOOK_SECRET") or getattr(settings, "ANYMAIL_WEBHOOK_SECRET", "") or "")


def _tracking_patterns(provider: str) -> list[URLPattern]:
    """anymail's tracking endpoints of one provider; inbound mail is not something techissue reads."""
    return [
        pattern
        for pattern in anymail_urls.urlpatterns
        if isinstance(pattern, URLPattern)
        and str(pattern.name or "") in {f"{provider}_tracking_webhook", f"{provider}_webhook"}
    ]


def _view_for(route: str) -> Callable[..., HttpResponse] | None:
    provider = configured_provider()
    if not provider or not webhook_secret():
        return None
    for pattern in _tracking_patterns(provider):
        match = pattern.resolve(route)
        if match is not None:
            return match.func
    return None


@csrf_exempt
def provider_webhook(request: HttpRequest, route: str) -> HttpResponse:
    """Hand the request to the configured provider's anymail view, or refuse it."""
    view = _view_for(route)
    if view is None:
        raise Http404("no provider webhook here")
    try:
        return view(request)
    except AnymailWebhookValidationFailure as error:
        log.warning("refused a %s webhook from %s: %s", configured_provider(), request.META.get("REMOTE_ADDR"), error)
        return HttpResponseForbidden("webhook credentials missing or wrong")


@register(deploy=True)
def check_webhook_secret(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """A provider without a webhook secret would let anyone post bounces: say so in `check --deploy`."""
    provider = configured_provider()
    if not provider:
        return []
    secret = webhook_secret()
    if not secret or ":" not in secret:
        return [
            Error(
                f"EMAIL_URL sends through {provider}, but ANYMAIL_WEBHOOK_SECRET is "
                + ("not set" if not secret else "not of the form user:password"),
                hint="Set ANYMAIL_WEBHOOK_SECRET=user:long-random-password and put the same credentials in the "
                "provider's webhook URL (https://user:password@your.site/anymail/…/tracking/). Until then the "
                "webhook answers 404.",
                id="delivery.E001",
            )
        ]
    return []
