"""Bounces and complaints from email providers, through django-anymail's `tracking` signal.

The provider has proved who it is (see `techissue.delivery.provider_hooks`), but an event still counts only
when it matches a message we sent (our return address in its metadata, or the message id we stored), and only
for that message's recipient, as mailed reports do.
"""

from __future__ import annotations

import logging
from typing import Any

from anymail.signals import AnymailTrackingEvent, tracking

from techissue.audience.subscribe import record_bounce, unsubscribe
from techissue.delivery import returns

log = logging.getLogger(__name__)

KINDS = {"bounced": "bounce", "rejected": "bounce", "deferred": "bounce", "complained": "complaint"}
KINDS["unsubscribed"] = "unsubscribe"


def match_event(event: AnymailTrackingEvent) -> returns.Match:
    """The sent delivery an event is about, when the provider's recipient is that delivery's recipient."""
    metadata = event.metadata or {}
    named = returns.deliveries_named_in(f"{metadata.get('techissue_return', '')}")
    delivery = named[0] if named else returns.delivery_with_message_id(str(event.message_id or ""))
    if delivery is None:
        return returns.Match(None, None, "no return address or message id of a message we sent")
    if delivery.subscriber.email.lower() != str(event.recipient or "").strip().lower():
        return returns.Match(None, None, f"delivery {delivery.pk} went to someone else")
    return returns.Match(delivery, delivery.subscriber, "return path" if named else "message id")


def on_tracking_event(sender: Any, event: AnymailTrackingEvent, esp_name: str, **kwargs: Any) -> None:
    """Hard bounces and complaints suppress at once; `deferred` counts as a soft bounce."""
    kind = KINDS.get(str(event.event_type))
    if kind is None or not event.recipient:
        return
    source = f"webhook {esp_name}"[:40]
    reason = f"{esp_name}: {event.event_type} {event.mta_response or event.description or ''}".strip()
    match = match_event(event)
    if match.subscriber is None:
        log.warning(
            "a %s %s event for %s matched no message we sent: ignored", esp_name, event.event_type, event.recipient
        )
        returns.record_report(source, kind, match, [str(event.recipient)], "ignored", reason)
        return
    email = match.subscriber.email
    if event.event_type == "unsubscribed":
        unsubscribe(match.subscriber)
        outcome = "unsubscribed"
    else:
        hard = event.event_type != "deferred"
        record_bounce(email, hard=hard, reason=reason, complaint=kind == "complaint")
        outcome = "complaint" if kind == "complaint" else "hard bounce" if hard else "soft bounce"
    returns.record_report(source, kind, match, [str(event.recipient)], outcome, reason)


def connect() -> None:
    tracking.connect(on_tracking_event, dispatch_uid="techissue.audience.webhooks")
