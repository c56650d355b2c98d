"""Signed, expiring links for a subscriber: confirm, unsubscribe and preferences."""

from __future__ import annotations

from django.core import signing

from techissue.audience.models import Subscriber

CONFIRM_MAX_AGE = 7 * 24 * 3600
# Unsubscribe links sit in old mails for a long time; they must keep working for a year or more.
LINK_MAX_AGE = 2 * 365 * 24 * 3600


def make_token(subscriber: Subscriber, purpose: str) -> str:
    """A URL-safe token naming the subscriber, the purpose and the subscriber's token version."""
    return signing.dumps(
        [subscriber.pk, subscriber.token_version], salt=f"techissue.audience.{purpose}", compress=False
    )


def read_token(token: str, purpose: str, max_age: int) -> Subscriber | None:
    """The subscriber a valid token names, or None when it is forged, expired, or from an older subscription."""
    try:
        pk, version = signing.loads(token, salt=f"techissue.audience.{purpose}", max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None or subscriber.token_version != version:
        return None
    return subscriber
