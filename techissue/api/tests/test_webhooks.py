"""Outgoing webhooks reach a real HTTP server on loopback: signed, retried until they land, kept across a dead worker."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from techissue import events
from techissue.api import webhooks
from techissue.api.models import WebhookDelivery, WebhookEndpoint
from techissue.audience.tests.helpers import run_queued_tasks
from techissue.editions import lifecycle, services
from techissue.editions.tests.builders import make_story

pytestmark = pytest.mark.django_db(transaction=True)  # the worker closes its connection when the queue is empty


class Receiver:
    """A loopback HTTP server that fails the first `failures` calls, then answers 204; it keeps every call."""

    def __init__(self, failures: int = 0) -> None:
        self.failures, self.calls = failures, []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.calls.append((dict(self.headers), body))
                self.send_response(500 if len(outer.calls) <= outer.failures else 204)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"

    def __enter__(self) -> Receiver:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *args: object) -> None:
        self.server.shutdown()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as server:
        yield server


def endpoint(url: str, events_: str = ",".join(webhooks.EVENTS)) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(url=url, events=events_, secret=webhooks.new_secret())


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """The receiver's side of Standard Webhooks, written from the spec, not from our signer."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(part == f"v1,{expected}" for part in headers["webhook-signature"].split(" "))


def test_an_event_reaches_the_receiver_signed(receiver: Receiver, django_capture_on_commit_callbacks) -> None:
    hook = endpoint(receiver.url, "subscriber.confirmed")
    with django_capture_on_commit_callbacks(execute=True):
        events.announce("subscriber.confirmed", id=7, email="reader@example.test", name="김하나")
    run_queued_tasks()

    ((headers, body),) = receiver.calls
    lowered = {key.lower(): value for key, value in headers.items()}
    assert verify(hook.secret, lowered, body)
    payload = json.loads(body)
    assert payload["type"] == "subscriber.confirmed" and payload["data"]["name"] == "김하나"
    assert WebhookDelivery.objects.get().status == "sent"


def test_a_tampered_body_does_not_verify(receiver: Receiver, django_capture_on_commit_callbacks) -> None:
    hook = endpoint(receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        events.announce("story.picked", id=1, title="HBM4")
    run_queued_tasks()

    ((headers, body),) = receiver.calls
    assert not verify(hook.secret, {k.lower(): v for k, v in headers.items()}, body.replace(b"HBM4", b"HBM5"))


def test_a_receiver_that_fails_three_times_gets_the_event_on_the_fourth_try(django_capture_on_commit_callbacks) -> None:
    with Receiver(failures=3) as server:
        endpoint(server.url)
        with django_capture_on_commit_callbacks(execute=True):
            events.announce("feed.failing", id=3, url="http://127.0.0.1:9/feed.xml", error="timeout")
        row = WebhookDelivery.objects.get()
        for _ in range(4):  # the worker, each time the row falls due
            row.refresh_from_db()
            webhooks.attempt(row)

    row.refresh_from_db()
    assert len(server.calls) == 4 and row.status == "sent" and row.attempts == 4
    assert len({headers["webhook-id"] for headers, _ in server.calls}) == 1  # the same message, retried


def test_an_event_is_stored_before_it_is_sent_so_a_dead_worker_loses_nothing(receiver: Receiver) -> None:
    endpoint(receiver.url)
    webhooks.record("edition.sent", {"id": 1})  # stored; the worker that should send it died

    assert receiver.calls == [] and WebhookDelivery.objects.get().status == "pending"
    webhooks.send_webhook.call(WebhookDelivery.objects.get().pk)  # another worker picks the row up

    assert len(receiver.calls) == 1 and WebhookDelivery.objects.get().status == "sent"


def test_an_internal_target_is_refused_unless_allowed(receiver: Receiver, settings) -> None:
    settings.TECHISSUE_FETCH_ALLOW_NETWORKS = []
    endpoint(receiver.url)
    webhooks.record("story.picked", {"id": 1})

    row = WebhookDelivery.objects.get()
    assert webhooks.attempt(row) is False
    assert receiver.calls == [] and row.last_error.startswith("refused")


def test_an_endpoint_that_keeps_failing_is_switched_off(settings) -> None:
    with Receiver(failures=10_000) as server:
        hook = endpoint(server.url)
        for number in range(webhooks.DISABLE_AFTER):
            row = webhooks.record("story.picked", {"id": number})[0]
            row.attempts = len(webhooks.BACKOFF)  # its last try
            webhooks.attempt(row)

    hook.refresh_from_db()
    assert hook.active is False and "in a row" in hook.disabled_reason
    assert webhooks.record("story.picked", {"id": 99}) == []


def test_edition_lifecycle_events_become_webhooks(receiver: Receiver, django_capture_on_commit_callbacks) -> None:
    endpoint(receiver.url, "edition.published,edition.cancelled")
    make_story("웹훅 스토리", score=3)
    edition = services.draft_edition(size=1)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.publish_edition(edition)
    run_queued_tasks()

    assert [json.loads(body)["type"] for _, body in receiver.calls] == ["edition.published"]
