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


def read_token(token: str, purpose: str, max_age: int, retired_if_gone: bool = False) -> Subscriber | None:
    """The subscriber a valid token names, or None when it is forged, expired, or from an older subscription.

    Leaving (unsubscribe, bounce, complaint) and subscribing again bump the version, so a link mailed
    before stops working. `retired_if_gone` still accepts an old version while the person is gone, for an
    unsubscribe link that only has to say "you are unsubscribed".
    """
    try:
        pk, version = signing.loads(token, salt=f"techissue.audience.{purpose}", max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None:
        return None
    if subscriber.token_version != version and not (retired_if_gone and subscriber.is_suppressed):
        return None
    return subscriber
