"""The one home of an edition's state: named actions (schedule, publish, send, pause, cancel, …) and their events.

Nothing else writes `Edition.status`, `published_at` or `sent_at`. Each action checks the state it starts
from, writes, and announces what happened through `edition_event` once the transaction commits, so that the
static archive (techissue.site.receivers) follows the same events as the dynamic site. Delivery reports the
progress of a send through `report_send_progress`; it never writes an edition itself.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from techissue.curation.models import Story
from techissue.editions.models import Edition
from techissue.editions.schedule import next_slot

log = logging.getLogger(__name__)

# How long after its slot a scheduled edition may still go out on its own (a worker restart, a slow tick).
SEND_WINDOW = timedelta(hours=3)

# Sent after the commit with `edition` (the instance), `event` (one of EVENTS) and `old_number` (set when an
# edit renumbered it, else None). Receivers must not raise: the change is committed whatever they do.
edition_event = Signal()
EVENTS = (
    "scheduled",
    "unscheduled",
    "held",
    "published",
    "unpublished",
    "sending",
    "sent",
    "cancelled",
    "changed",
    "deleted",
)


class EditionError(Exception):
    """An action that the edition's state does not allow; the message is for the editor."""


def announce(edition: Edition, event: str, old_number: int | None = None) -> None:
    """Send `edition_event` once the current transaction (if any) commits."""
    assert event in EVENTS, event
    transaction.on_commit(
        partial(edition_event.send, sender=Edition, edition=edition, event=event, old_number=old_number)
    )


def content_changed(edition: Edition, old_number: int | None = None) -> None:
    """The editor changed what the edition shows (title, editorial, picks): bump it and tell the archive."""
    Edition.objects.filter(pk=edition.pk).update(updated_at=timezone.now())
    announce(edition, "changed", old_number)


def delete_edition(edition: Edition) -> None:
    """Delete an edition that never went out (the admin's delete); its neighbours' pages are re-exported."""
    _require(edition, {Edition.Status.DRAFT, Edition.Status.SCHEDULED, Edition.Status.CANCELLED}, _("deleted"))
    with transaction.atomic():
        edition.delete()
        announce(edition, "deleted")


def _require(edition: Edition, allowed: set[str], action: str) -> None:
    if edition.status not in allowed:
        raise EditionError(
            _("Edition #%(number)d is %(status)s: it cannot be %(action)s.")
            % {"number": edition.number, "status": edition.get_status_display(), "action": action}
        )


def _locked(edition: Edition) -> Edition:
    return Edition.objects.select_for_update().get(pk=edition.pk)


def _copy_state(target: Edition, source: Edition) -> Edition:
    for name in ("status", "scheduled_at", "send_by", "hold_reason", "published_at", "sent_at", "updated_at"):
        setattr(target, name, getattr(source, name))
    return target


def validate_send_time(at: datetime, now: datetime | None = None) -> datetime:
    """An aware time in the future that exists on the wall clock; raises EditionError in words otherwise."""
    now = now or timezone.now()
    zone = ZoneInfo(settings.TIME_ZONE)
    if timezone.is_naive(at):
        aware = at.replace(tzinfo=zone)
        # A local time skipped by a daylight-saving change does not survive a round trip through UTC.
        if aware.astimezone(ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None) != at:
            raise EditionError(
                _("%(time)s does not exist in %(zone)s: the clocks skip it. Choose another time.")
                % {"time": at.strftime("%Y-%m-%d %H:%M"), "zone": settings.TIME_ZONE}
            )
        at = aware
    if at <= now:
        raise EditionError(_("That time has already passed."))
    return at


def schedule_edition(edition: Edition, at: datetime | None = None, now: datetime | None = None) -> Edition:
    """Schedule for `at`, or for the next slot of TECHISSUE_SCHEDULE; the send-by deadline follows."""
    now = now or timezone.now()
    if at is None:
        at = next_slot(now, settings.TECHISSUE_SCHEDULE, ZoneInfo(settings.TIME_ZONE))
    at = validate_send_time(at, now)
    with transaction.atomic():
        locked = _locked(edition)
        _require(locked, {Edition.Status.DRAFT, Edition.Status.SCHEDULED}, _("scheduled"))
        locked.status = Edition.Status.SCHEDULED
        locked.scheduled_at = at
        locked.send_by = at + SEND_WINDOW
        locked.hold_reason = ""
        locked.save(update_fields=["status", "scheduled_at", "send_by", "hold_reason", "updated_at"])
        announce(locked, "scheduled")
    return _copy_state(edition, locked)


def unschedule_edition(edition: Edition) -> Edition:
    """Back to draft: the worker leaves it alone."""
    with transaction.atomic():
        locked = _locked(edition)
        _require(locked, {Edition.Status.SCHEDULED}, _("unscheduled"))
        locked.status = Edition.Status.DRAFT
        locked.save(update_fields=["status", "updated_at"])
        announce(locked, "unscheduled")
    return _copy_state(edition, locked)


def hold_edition(edition: Edition, reason: str) -> Edition:
    """Leave a scheduled edition for the editor, with the reason shown on its page."""
    with transaction.atomic():
        locked = _locked(edition)
        _require(locked, {Edition.Status.SCHEDULED, Edition.Status.DRAFT}, _("held"))
        locked.status = Edition.Status.DRAFT
        locked.hold_reason = reason
        locked.save(update_fields=["status", "hold_reason", "updated_at"])
        announce(locked, "held")
    log.warning("edition %s held: %s", edition.number, reason)
    return _copy_state(edition, locked)


def publish_edition(edition: Edition, now: datetime | None = None) -> Edition:
    """Put the edition in the archive and the Atom feed, without mailing it."""
    with transaction.atomic():
        locked = _locked(edition)
        _require(locked, {s for s in Edition.Status if s != Edition.Status.CANCELLED}, _("published"))
        if locked.published_at is None:
            locked.published_at = now or timezone.now()
            locked.save(update_fields=["published_at", "updated_at"])
            announce(locked, "published")
    return _copy_state(edition, locked)


def unpublish_edition(edition: Edition) -> Edition:
    """Take the edition off the web (archive, feed, static copy); mail already sent stays sent."""
    with transaction.atomic():
        locked = _locked(edition)
        if locked.published_at is not None:
            locked.published_at = None
            locked.save(update_fields=["published_at", "updated_at"])
            announce(locked, "unpublished")
    return _copy_state(edition, locked)


def start_sending(edition: Edition, now: datetime | None = None) -> Edition:
    """Publish the edition and hand it to delivery; its stories count as sent from now on."""
    from techissue.delivery.services import start_send  # delivery depends on editions, not the reverse

    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(edition)
        _require(locked, {Edition.Status.DRAFT, Edition.Status.SCHEDULED}, _("sent"))
        if not locked.picks.exists() and not locked.editorial_md.strip():
            raise EditionError(_("Edition #%(number)d is empty.") % {"number": locked.number})
        locked.published_at = locked.published_at or now
        locked.status = Edition.Status.SENDING
        locked.hold_reason = ""
        locked.save(update_fields=["published_at", "status", "hold_reason", "updated_at"])
        Story.objects.filter(picks__edition=locked, sent_at__isnull=True).update(sent_at=now)
        start_send(locked)
        announce(locked, "sending")
    return _copy_state(edition, locked)


def report_send_progress(edition_id: int, *, finished: bool, now: datetime | None = None) -> bool:
    """Delivery's report after a batch: once `finished` (no row open), a sending edition becomes sent.

    Safe to repeat and to call from several workers: only one of them moves the edition. Returns True when
    this call did.
    """
    if not finished:
        return False
    now = now or timezone.now()
    with transaction.atomic():
        moved = Edition.objects.filter(pk=edition_id, status=Edition.Status.SENDING).update(
            status=Edition.Status.SENT, sent_at=now, updated_at=now
        )
        if moved:
            edition = Edition.objects.get(pk=edition_id)
            Story.objects.filter(picks__edition=edition).filter(Q(sent_at__isnull=True) | Q(sent_at__gt=now)).update(
                sent_at=now
            )
            announce(edition, "sent")
    return bool(moved)


def finish_sending(edition: Edition, now: datetime | None = None) -> Edition:
    """Mark a sending edition as sent (the CLI's `send --wait` when nothing is open); safe to repeat."""
    from techissue.delivery.services import finish_if_done

    if not finish_if_done(edition.pk):
        report_send_progress(edition.pk, finished=True, now=now)
    edition.refresh_from_db()
    return edition


def pause_sending(edition: Edition) -> bool:
    """Workers stop claiming this edition's rows (a batch already claimed finishes); False if not running."""
    from techissue.delivery.services import pause_send

    _require(edition, {Edition.Status.SENDING}, _("paused"))
    return pause_send(edition)


def resume_sending(edition: Edition) -> bool:
    from techissue.delivery.services import resume_send

    _require(edition, {Edition.Status.SENDING}, _("resumed"))
    return resume_send(edition)


def cancel_edition(edition: Edition) -> int:
    """The one cancel rule, for the admin, the editor's pages and the CLI; returns the deliveries stopped.

    A draft or scheduled edition is cancelled; a sending (or paused) one stops for good: the rows not yet
    sent fail as cancelled. Either way the edition leaves the web. A sent edition cannot be cancelled
    (unpublish it instead).
    """
    from techissue.delivery.services import cancel_send

    with transaction.atomic():
        locked = _locked(edition)
        _require(locked, {Edition.Status.DRAFT, Edition.Status.SCHEDULED, Edition.Status.SENDING}, _("cancelled"))
        stopped = cancel_send(locked) if locked.status == Edition.Status.SENDING else 0
        locked.status = Edition.Status.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        announce(locked, "cancelled")
    _copy_state(edition, locked)
    log.info("edition %s cancelled, %d deliveries stopped", edition.number, stopped)
    return stopped
