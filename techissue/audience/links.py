"""Absolute links a subscriber receives by mail: confirm, unsubscribe, preferences, and the mailto."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from techissue.audience.models import Subscriber
from techissue.audience.tokens import make_token


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def confirm_url(subscriber: Subscriber) -> str:
    return absolute(reverse("audience:confirm", args=[make_token(subscriber, "confirm")]))


def unsubscribe_url(subscriber: Subscriber) -> str:
    return absolute(reverse("audience:unsubscribe", args=[make_token(subscriber, "unsubscribe")]))


def preferences_url(subscriber: Subscriber) -> str:
    return absolute(reverse("audience:preferences", args=[make_token(subscriber, "preferences")]))


def unsubscribe_mailto(subscriber: Subscriber) -> str:
    """`mailto:` for List-Unsubscribe, or "" when nothing would read the mails sent to it.

    The address is UNSUBSCRIBE_MAILTO (whose mail the operator pipes into `techissue bounces ingest`), else,
    when BOUNCE_MAILBOX_URL is set, the bounce address, which `bounces ingest --mailbox` reads.
    """
    address = getattr(settings, "UNSUBSCRIBE_MAILTO", "")
    if not address:
        if not getattr(settings, "BOUNCE_MAILBOX_URL", ""):
            return ""
        from techissue.delivery.returns import bounce_address

        address = bounce_address()
    return f"mailto:{address}?subject=unsubscribe-{make_token(subscriber, 'unsubscribe')}"
