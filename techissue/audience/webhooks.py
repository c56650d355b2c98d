"""Bounces and complaints from email providers, through django-anymail's `tracking` signal."""

from __future__ import annotations

from typing import Any

from anymail.signals import AnymailTrackingEvent, tracking

from techissue.audience.models import Subscriber
from techissue.audience.subscribe import record_bounce, unsubscribe


def on_tracking_event(sender: Any, event: AnymailTrackingEvent, esp_name: str, **kwargs: Any) -> None:
    """Hard bounces and complaints suppress at once; `deferred` counts as a soft bounce."""
    if not event.recipient:
        return
    reason = f"{esp_name}: {event.event_type} {event.mta_response or event.description or ''}".strip()
    if event.event_type in ("bounced", "rejected"):
        record_bounce(event.recipient, hard=True, reason=reason)
    elif event.event_type == "deferred":
        record_bounce(event.recipient, hard=False, reason=reason)
    elif event.event_type == "complained":
        record_bounce(event.recipient, hard=True, reason=reason, complaint=True)
    elif event.event_type == "unsubscribed":
        subscriber = Subscriber.objects.with_email(event.recipient).first()
        if subscriber is not None:
            unsubscribe(subscriber)


def connect() -> None:
    tracking.connect(on_tracking_event, dispatch_uid="techissue.audience.webhooks")
