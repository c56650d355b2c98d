"""The worker's tick: due editions go to delivery; a missed deadline waits for the editor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from techissue.curation.models import Story
from techissue.delivery.services import send_progress
from techissue.editions import periodic, services
from techissue.editions.models import Edition
from techissue.editions.tests.builders import make_story

pytestmark = pytest.mark.django_db
SLOT = datetime(2026, 7, 2, 7, 0, tzinfo=UTC)


def _scheduled() -> Edition:
    make_story("Due story")
    edition = services.draft_edition()
    return services.schedule_edition(edition, at=SLOT, now=SLOT - timedelta(days=1))


def test_it_leaves_an_edition_alone_before_its_time() -> None:
    edition = _scheduled()

    assert periodic.tick(now=SLOT - timedelta(minutes=1)) is False

    edition.refresh_from_db()
    assert edition.status == Edition.Status.SCHEDULED


def test_it_publishes_and_hands_a_due_edition_to_delivery() -> None:
    edition = _scheduled()

    assert periodic.tick(now=SLOT + timedelta(minutes=1)) is True

    edition.refresh_from_db()
    assert edition.status in {Edition.Status.SENDING, Edition.Status.SENT}
    assert edition.published_at is not None
    assert "total" in send_progress(edition)
    assert Story.objects.get(title="Due story").sent_at is not None
    assert periodic.tick(now=SLOT + timedelta(minutes=2)) is False


def test_it_does_not_send_an_edition_late_and_says_why() -> None:
    edition = _scheduled()

    assert periodic.tick(now=edition.send_by + timedelta(seconds=1)) is True

    edition.refresh_from_db()
    assert edition.status == Edition.Status.DRAFT
    assert edition.published_at is None
    assert "Not sent" in edition.hold_reason or "발송되지 않음" in edition.hold_reason
    assert Story.objects.get(title="Due story").sent_at is None
    assert periodic.tick(now=edition.send_by + timedelta(hours=1)) is False


def test_it_clears_the_reason_when_the_editor_schedules_again() -> None:
    edition = _scheduled()
    periodic.tick(now=edition.send_by + timedelta(seconds=1))
    edition.refresh_from_db()

    services.schedule_edition(edition, at=SLOT + timedelta(days=7), now=SLOT + timedelta(days=1))

    assert edition.hold_reason == ""


def test_it_holds_an_empty_edition_instead_of_sending_nothing() -> None:
    edition = services.schedule_edition(services.draft_edition(), at=SLOT, now=SLOT - timedelta(days=1))

    periodic.tick(now=SLOT + timedelta(minutes=1))

    edition.refresh_from_db()
    assert edition.status == Edition.Status.DRAFT
    assert "#1" in edition.hold_reason or "1호" in edition.hold_reason
