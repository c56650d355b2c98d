"""Outgoing webhooks, signed the Standard Webhooks way, sent by the worker with retries and backoff.

1. An event (techissue.events.happened, or an edition's lifecycle event) becomes one `WebhookDelivery` row
   per active endpoint that follows it, written in the database before anything is sent: a worker killed
   mid-send loses nothing, the row is still due.
2. A task sends each row: POST of the JSON body with `webhook-id`, `webhook-timestamp` and
   `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, through the fetcher's address
   guard (no internal address unless TECHISSUE_FETCH_ALLOW_NETWORKS allows it), with a short deadline.
3. A 2xx ends the row. Anything else is retried after BACKOFF; past the last try the row fails. An
   endpoint that fails DISABLE_AFTER rows in a row is switched off, and says why.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import secrets
import time
import uuid
from datetime import timedelta
from typing import Any

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import task

from techissue import events
from techissue.api.models import WebhookDelivery, WebhookEndpoint
from techissue.editions.lifecycle import edition_event
from techissue.editions.models import Edition
from techissue.netguard import AddressPolicy, AddressRefused, guarded_transport, parse_networks

log = logging.getLogger(__name__)

EVENTS = (
    "subscriber.created",
    "subscriber.confirmed",
    "subscriber.unsubscribed",
    "subscriber.bounced",
    "subscriber.complained",
    "edition.scheduled",
    "edition.published",
    "edition.sent",
    "edition.cancelled",
    "feed.failing",
    "story.picked",
)
BACKOFF = (10, 60, 300, 1800, 7200, 21600)  # seconds before each retry; then the row fails
DISABLE_AFTER = 10
TIMEOUT_SECONDS = 10.0
EDITION_EVENTS = {
    "scheduled": "edition.scheduled",
    "published": "edition.published",
    "sent": "edition.sent",
    "cancelled": "edition.cancelled",
}


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value: `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body` under the key."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def record(event: str, data: dict[str, Any]) -> list[WebhookDelivery]:
    """One due row per active endpoint that follows `event`, and a task for each once they are stored."""
    if event not in EVENTS:
        raise ValueError(f"unknown event {event!r}")
    rows = [
        WebhookDelivery(endpoint=endpoint, message_id=f"msg_{uuid.uuid4().hex}", event=event, payload=data)
        for endpoint in WebhookEndpoint.objects.filter(active=True)
        if event in endpoint.event_set
    ]
    if not rows:
        return []
    with transaction.atomic():
        created = WebhookDelivery.objects.bulk_create(rows)
        ids = (
            [row.pk for row in created]
            if created and created[0].pk
            else list(
                WebhookDelivery.objects.filter(message_id__in=[row.message_id for row in rows]).values_list(
                    "pk", flat=True
                )
            )
        )
        transaction.on_commit(lambda: [send_webhook.enqueue(pk) for pk in ids])
    return created


@receiver(events.happened, dispatch_uid="api-webhooks-record")
def on_event(sender: object, event: str, data: dict[str, Any], **kwargs: Any) -> None:
    record(event, data)


@receiver(edition_event, dispatch_uid="api-webhooks-edition")
def on_edition_event(sender: object, edition: Edition, event: str, **kwargs: Any) -> None:
    name = EDITION_EVENTS.get(event)
    if name:
        record(name, {"id": edition.pk, "number": edition.number, "title": edition.title, "status": edition.status})


def _policy() -> AddressPolicy:
    return AddressPolicy(parse_networks(getattr(settings, "TECHISSUE_FETCH_ALLOW_NETWORKS", ())))


async def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    transport = guarded_transport(_policy())
    async with httpx.AsyncClient(transport=transport, timeout=TIMEOUT_SECONDS, follow_redirects=False) as client:
        response = await client.post(url, content=body, headers=headers)
        return response.status_code


def attempt(row: WebhookDelivery) -> bool:
    """Send one row once; True when the receiver took it (2xx). The row's outcome is written either way."""
    body = json.dumps(
        {"type": row.event, "timestamp": row.created_at.isoformat(), "data": row.payload}, ensure_ascii=False
    ).encode()
    timestamp = int(time.time())
    headers = {
        "content-type": "application/json",
        "webhook-id": row.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(row.endpoint.secret, row.message_id, timestamp, body),
        "user-agent": "techissue-webhooks/1",
    }
    try:
        status, error = asyncio.run(_post(row.endpoint.url, body, headers)), ""
    except AddressRefused as refused:
        status, error = 0, f"refused: {refused}"
    except httpx.HTTPError as failure:
        status, error = 0, f"{type(failure).__name__}: {failure}"[:500]
    now = timezone.now()
    row.attempts += 1
    row.last_status_code, row.last_error = status or None, error or ("" if 200 <= status < 300 else f"HTTP {status}")
    endpoint = row.endpoint
    if 200 <= status < 300:
        row.status, row.sent_at, row.next_attempt_at = WebhookDelivery.Status.SENT, now, None
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failures_in_a_row=0)
    elif row.attempts > len(BACKOFF):
        row.status, row.next_attempt_at = WebhookDelivery.Status.FAILED, None
        _count_failure(endpoint)
    else:
        row.next_attempt_at = now + timedelta(seconds=BACKOFF[row.attempts - 1])
    row.save(update_fields=["attempts", "last_status_code", "last_error", "status", "sent_at", "next_attempt_at"])
    return row.status == WebhookDelivery.Status.SENT


def _count_failure(endpoint: WebhookEndpoint) -> None:
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failures_in_a_row=F("failures_in_a_row") + 1)
    endpoint.refresh_from_db(fields=["failures_in_a_row"])
    if endpoint.failures_in_a_row >= DISABLE_AFTER and endpoint.active:
        endpoint.active = False
        endpoint.disabled_reason = f"{endpoint.failures_in_a_row} deliveries in a row failed"
        endpoint.save(update_fields=["active", "disabled_reason"])
        log.warning("webhook endpoint %s disabled: %s", endpoint.url, endpoint.disabled_reason)


@task()
def send_webhook(delivery_id: int) -> str:
    """The worker's side: send a due row, and queue its retry when it did not go through."""
    row = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if row is None or row.status != WebhookDelivery.Status.PENDING:
        return "nothing to do"
    if attempt(row):
        return "sent"
    if row.status == WebhookDelivery.Status.PENDING and row.next_attempt_at is not None:
        send_webhook.using(run_after=row.next_attempt_at).enqueue(row.pk)
        return f"retry at {row.next_attempt_at.isoformat()}"
    return "failed"


def resend(row: WebhookDelivery) -> None:
    """The admin's "resend": the row is due again from its first try."""
    WebhookDelivery.objects.filter(pk=row.pk).update(
        status=WebhookDelivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    transaction.on_commit(lambda: send_webhook.enqueue(row.pk))
