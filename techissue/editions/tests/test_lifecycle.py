"""The edition's lifecycle: one home for its state, one cancel rule, and a static archive that agrees with the site."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from techissue.audience.imports import upsert
from techissue.delivery.models import Delivery, Send
from techissue.delivery.services import finish_if_done
from techissue.editions import lifecycle, services
from techissue.editions.models import Edition
from techissue.editions.tests.builders import make_story, published_edition
from techissue.site.export import file_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_dir(settings, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path / "public"


def sending_edition() -> Edition:
    for number in range(3):
        upsert(f"reader{number}@example.com", f"독자{number}", "ko", "active", timezone.now())
    make_story("HBM 공급 계약", score=0.9)
    return lifecycle.start_sending(services.draft_edition(size=1))


def agree(client: Client, public_dir: Path, edition: Edition) -> tuple[int, bool]:
    """What the dynamic site answers for the edition's page, and whether the static archive holds it."""
    return client.get(edition.get_absolute_url()).status_code, (
        public_dir / file_for(edition.get_absolute_url())
    ).exists()


def test_the_archive_and_the_site_agree_after_publish_unpublish_and_cancel(
    public_dir: Path, client: Client, django_capture_on_commit_callbacks
) -> None:
    make_story("메모리 반등", score=2)
    edition = services.draft_edition(size=1)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.publish_edition(edition)
    assert agree(client, public_dir, edition) == (200, True)

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.unpublish_edition(edition)
    assert agree(client, public_dir, edition) == (404, False)

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.publish_edition(edition)
        lifecycle.cancel_edition(edition)
    assert agree(client, public_dir, edition) == (404, False)


def test_a_send_cancelled_midway_leaves_the_archive_as_the_site_does(
    public_dir: Path, client: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        edition = sending_edition()
    assert agree(client, public_dir, edition) == (200, True)
    Delivery.objects.filter(pk=Delivery.objects.filter(edition=edition).first().pk).update(
        status=Delivery.Status.SENT, sent_at=timezone.now()
    )

    with django_capture_on_commit_callbacks(execute=True):
        stopped = lifecycle.cancel_edition(edition)

    assert stopped == 2
    assert agree(client, public_dir, edition) == (404, False)
    assert Send.objects.get(edition=edition).state == Send.State.CANCELLED
    assert Edition.objects.get(pk=edition.pk).status == Edition.Status.CANCELLED


def test_the_admin_cancels_a_sending_edition_by_the_same_rule(settings) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    edition = sending_edition()
    admin = Client()
    admin.force_login(User.objects.create_superuser("boss", "boss@127.0.0.1", "pw-long-enough-1"))

    admin.post("/admin/editions/edition/", {"action": "cancel_action", "_selected_action": [edition.pk], "index": "0"})

    assert Edition.objects.get(pk=edition.pk).status == Edition.Status.CANCELLED
    assert not Delivery.objects.filter(edition=edition).exclude(status=Delivery.Status.FAILED).exists()


def test_a_sent_edition_cannot_be_cancelled_only_taken_off_the_web() -> None:
    edition = sending_edition()
    Delivery.objects.filter(edition=edition).update(status=Delivery.Status.SENT)
    assert finish_if_done(edition.pk)  # delivery reports through lifecycle.report_send_progress
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT and edition.sent_at is not None

    with pytest.raises(lifecycle.EditionError):
        lifecycle.cancel_edition(edition)
    assert not lifecycle.unpublish_edition(edition).is_published


def test_pause_and_resume_are_refused_unless_sending() -> None:
    edition = published_edition()
    with pytest.raises(lifecycle.EditionError):
        lifecycle.pause_sending(edition)


def test_only_the_lifecycle_module_writes_the_state() -> None:
    """No other module assigns Edition.status, published_at or sent_at (tests and migrations aside)."""
    import re

    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(
        r"\bedition\.(status|published_at|sent_at)\s*=(?!=)"
        r"|Edition\.objects\.[^\n]*(?:\n[^\n]*){0,2}?\.update\(\s*(status|published_at|sent_at)=",
        re.IGNORECASE,
    )
    offenders = []
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "/tests/" in str(path) or "/migrations/" in str(path) or path.name == "lifecycle.py":
            continue
        if "Edition" in text and pattern.search(text):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
