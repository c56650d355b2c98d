"""The public audience pages: subscribe, confirm, unsubscribe (also RFC 8058 one-click) and preferences."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from techissue.audience import ratelimit
from techissue.audience.forms import PreferencesForm, SubscribeForm
from techissue.audience.links import preferences_url
from techissue.audience.models import Subscriber
from techissue.audience.subscribe import (
    confirm_subscription,
    queue_subscription_request,
    unsubscribe,
    update_preferences,
)
from techissue.audience.tokens import CONFIRM_MAX_AGE, LINK_MAX_AGE, read_token


def client_ip(request: HttpRequest) -> str:
    """The reader's address, for rate limits and the consent record.

    X-Forwarded-For is the client's to forge, so it counts only behind TECHISSUE_TRUSTED_PROXIES
    reverse proxies, and then only the entry the nearest trusted proxy wrote: the Nth from the right.
    """
    proxies = settings.TECHISSUE_TRUSTED_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "0.0.0.0"


def invalid_link(request: HttpRequest) -> HttpResponse:
    return render(request, "audience/invalid_link.html", status=404)


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe_view(request: HttpRequest) -> HttpResponse:
    """GET shows the form; POST answers the same way for new, pending, active and suppressed addresses."""
    if request.method == "GET":
        form = SubscribeForm(initial={"lang": translation.get_language()})
        return render(request, "audience/subscribe.html", {"form": form})
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(request, "audience/subscribe.html", {"form": form}, status=400)
    if form.cleaned_data["website"]:
        return render(request, "audience/subscribe_sent.html")  # a bot: look like success, do nothing
    email = form.cleaned_data["email"].strip()
    ip = client_ip(request)
    # Per address *and* IP: a stranger asking for someone else's address uses up only their own
    # allowance, never the person's. The inbox itself is guarded by one confirmation an hour.
    address_key = hashlib.sha256(f"{email.lower()}|{ip}".encode()).hexdigest()
    if not ratelimit.allow(f"subscribe-ip:{ip}", *ratelimit.SUBSCRIBE_PER_IP) or not ratelimit.allow(
        f"subscribe-address-ip:{address_key}", *ratelimit.SUBSCRIBE_PER_ADDRESS
    ):
        return render(request, "audience/rate_limited.html", status=429)
    language = form.cleaned_data["lang"] or translation.get_language()
    queue_subscription_request(email, form.cleaned_data["name"], language, ip)
    return render(request, "audience/subscribe_sent.html")


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET only shows a button (mail scanners follow links); the POST from that page confirms."""
    subscriber = read_token(token, "confirm", CONFIRM_MAX_AGE)
    if subscriber is None or subscriber.status not in (Subscriber.Status.PENDING, Subscriber.Status.ACTIVE):
        return invalid_link(request)
    if request.method == "POST":
        confirm_subscription(subscriber)
        return render(request, "audience/confirm.html", {"subscriber": subscriber, "done": True})
    return render(request, "audience/confirm.html", {"subscriber": subscriber, "done": False})


@csrf_exempt  # RFC 8058: the one-click POST carries no cookie and no CSRF token; the signed token is the proof
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a confirm page; any POST (the page's button or a mail client's one-click) unsubscribes, 200."""
    subscriber = read_token(token, "unsubscribe", LINK_MAX_AGE, retired_if_gone=True)
    if subscriber is None:
        return invalid_link(request)
    if request.method == "POST" or subscriber.is_suppressed:  # gone already: say so, hand out no new link
        unsubscribe(subscriber)
        return render(request, "audience/unsubscribe.html", {"subscriber": subscriber, "done": True})
    context = {"subscriber": subscriber, "done": False, "preferences_url": preferences_url(subscriber)}
    return render(request, "audience/unsubscribe.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def preferences_view(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = read_token(token, "preferences", LINK_MAX_AGE)
    if subscriber is None:
        return invalid_link(request)
    saved = False
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            update_preferences(subscriber, form.cleaned_data["language"], form.cleaned_data["paused"])
            saved = True
    else:
        form = PreferencesForm(initial={"language": subscriber.language, "paused": subscriber.paused})
    return render(request, "audience/preferences.html", {"form": form, "subscriber": subscriber, "saved": saved})
