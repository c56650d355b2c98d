"""The editor's changes to a feed: pause, resume and weight (named writes for the editor's pages)."""

from __future__ import annotations

from django.utils import timezone

from techissue.sources.models import Feed

MIN_WEIGHT, MAX_WEIGHT = 0.1, 3.0


def set_feed_active(feed: Feed, active: bool) -> Feed:
    """Pause (no more fetches) or resume a feed; a resumed feed is due at once."""
    feed.active = active
    fields = ["active"]
    if active:
        feed.next_fetch_at = timezone.now()
        fields.append("next_fetch_at")
    feed.save(update_fields=fields)
    return feed


def set_feed_weight(feed: Feed, weight: float) -> Feed:
    """How much the editor trusts the outlet; ValueError outside 0.1–3."""
    if not MIN_WEIGHT <= weight <= MAX_WEIGHT:
        raise ValueError(f"weight must be between {MIN_WEIGHT} and {MAX_WEIGHT}, not {weight}")
    feed.weight = round(weight, 2)
    feed.save(update_fields=["weight"])
    return feed
