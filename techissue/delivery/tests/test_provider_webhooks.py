"""Provider webhooks: only the configured provider is mounted, and only requests with its credentials count."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from techissue.audience.models import Subscriber
from techissue.delivery.models import ReturnReport
from techissue.delivery.returns import envelope_sender_for
from techissue.delivery.services import start_send
from techissue.delivery.tests.conftest import make_edition, make_readers, run_until_idle

pytestmark = pytest.mark.django_db(transaction=True)

SENDGRID = "anymail.backends.sendgrid.EmailBackend"
SECRET = "hook:Xq7-a-long-random-webhook-password"


def bounce_post(
    base: str, email: str, auth: str | None = None, provider: str = "sendgrid", metadata: str = ""
) -> httpx.Response:
    """What SendGrid posts for a bounce; anyone on the web can post the same. `metadata`: our custom arg."""
    event = [{"email": email, "event": "bounce", "type": "bounce", "reason": "550 5.1.1 no such user",
              "status": "5.1.1", "timestamp": 1767225600, "sg_event_id": "ev1", "sg_message_id": "m1.filter"}]  # fmt: skip
    if metadata:
        event[0]["techissue_return"] = metadata  # SendGrid returns custom args as fields of each event
    headers = {"Content-Type": "application/json"}
    if auth:
        headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
    return httpx.post(f"{base}/anymail/{provider}/tracking/", content=json.dumps(event), headers=headers)


def test_nothing_is_mounted_when_mail_goes_by_smtp(live_server):
    (reader,) = make_readers(1)
    for provider in ("sendgrid", "mailgun", "postmark", "amazon_ses"):
        assert bounce_post(live_server.url, reader.email, provider=provider).status_code == 404
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE


def test_a_provider_without_a_webhook_secret_answers_404_and_changes_nobody(live_server, settings):
    settings.EMAIL_BACKEND = SENDGRID
    settings.ANYMAIL = {"API_KEY": "k"}
    (reader,) = make_readers(1)
    assert bounce_post(live_server.url, reader.email).status_code == 404
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE


def test_an_unauthenticated_bounce_post_is_refused_and_changes_nobody(live_server, settings):
    settings.EMAIL_BACKEND = SENDGRID
    settings.ANYMAIL = {"API_KEY": "k", "WEBHOOK_SECRET": SECRET}
    (reader,) = make_readers(1)
    assert bounce_post(live_server.url, reader.email).status_code == 403
    assert bounce_post(live_server.url, reader.email, auth="hook:wrong").status_code == 403
    # Another provider's endpoint is not there at all.
    assert bounce_post(live_server.url, reader.email, auth=SECRET, provider="mailgun").status_code == 404
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE


def test_the_configured_provider_with_its_credentials_is_heard(live_server, settings):
    settings.EMAIL_BACKEND = SENDGRID
    settings.ANYMAIL = {"API_KEY": "k", "WEBHOOK_SECRET": SECRET}
    (reader,) = make_readers(1)
    assert bounce_post(live_server.url, reader.email, auth=SECRET).status_code == 200


def test_the_deploy_check_reports_a_provider_without_a_webhook_secret(tmp_path: Path):
    env = {
        **os.environ,
        "TECHISSUE_DATA_DIR": str(tmp_path),
        "TECHISSUE_ENV_FILE": os.devnull,
        "SECRET_KEY": "x7Qp-production-like-secret-key-9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c",
        "EMAIL_URL": "anymail://sendgrid",
        "ANYMAIL_WEBHOOK_SECRET": "",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [str(Path(sys.executable).parent / "techissue"), "check", "--deploy"]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    assert done.returncode != 0
    assert "ANYMAIL_WEBHOOK_SECRET" in done.stderr + done.stdout
    done = subprocess.run(command, env={**env, "ANYMAIL_WEBHOOK_SECRET": SECRET}, capture_output=True, text=True)
    assert "ANYMAIL_WEBHOOK_SECRET" not in done.stderr + done.stdout


def test_a_provider_event_counts_only_for_a_message_we_sent_and_its_recipient(live_server, settings, smtp_server):
    readers = make_readers(3)
    edition = make_edition()
    start_send(edition)
    run_until_idle()
    settings.EMAIL_BACKEND = SENDGRID
    settings.ANYMAIL = {"API_KEY": "k", "WEBHOOK_SECRET": SECRET}
    ours = envelope_sender_for(edition.pk, readers[1].pk)
    # Authenticated, but about no message we sent; then ours, for its recipient; then ours, for someone else.
    assert bounce_post(live_server.url, readers[0].email, auth=SECRET).status_code == 200
    assert bounce_post(live_server.url, readers[1].email, auth=SECRET, metadata=ours).status_code == 200
    assert bounce_post(live_server.url, readers[2].email, auth=SECRET, metadata=ours).status_code == 200
    assert dict(Subscriber.objects.values_list("email", "status")) == {
        readers[0].email: "active",
        readers[1].email: "bounced",
        readers[2].email: "active",
    }
    assert list(ReturnReport.objects.order_by("pk").values_list("matched", flat=True)) == [False, True, False]
