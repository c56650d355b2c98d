"""The editor's actions on editions: draft, schedule, publish, send, finish and cancel."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from techissue.curation.models import Story
from techissue.editions.models import Edition, Pick
from techissue.editions.schedule import next_slot

log = logging.getLogger(__name__)

# How long after its slot a scheduled edition may still go out on its own (a worker restart, a slow tick).
SEND_WINDOW = timedelta(hours=3)
MAX_OUTLETS_SHOWN = 4


class EditionError(Exception):
    """An action that the edition's state does not allow; the message is for the editor."""


def next_edition_number() -> int:
    return (Edition.objects.aggregate(top=Max("number"))["top"] or 0) + 1


def stories_for_draft(size: int) -> list[Story]:
    """Open stories not already in a live edition, those the editor picked first, then by rank."""
    taken = Pick.objects.filter(story__isnull=False).exclude(edition__status=Edition.Status.CANCELLED)
    open_stories = Story.objects.open_for_edition().exclude(id__in=taken.values("story_id"))
    picked = list(open_stories.filter(decision=Story.Decision.PICKED)[:size])
    rest = (
        list(open_stories.exclude(decision=Story.Decision.PICKED)[: size - len(picked)]) if size > len(picked) else []
    )
    return picked + rest


def _story_articles(story: Story) -> list:
    members = story.members.select_related("article").filter(article__duplicate_of__isnull=True)
    return sorted((member.article for member in members), key=lambda article: (article.when is None, article.when))


def pick_fields(story: Story) -> dict[str, str]:
    """A pick's starting point: the story's title, its best article's link, its outlets, its summary."""
    articles = _story_articles(story)
    best = story.representative or (articles[0] if articles else None)
    outlets: list[str] = []
    for article in ([best] if best else []) + articles:
        if article.outlet and article.outlet not in outlets:
            outlets.append(article.outlet)
    shown = ", ".join(outlets[:MAX_OUTLETS_SHOWN])
    if len(outlets) > MAX_OUTLETS_SHOWN:
        shown += " " + _("and %(count)d more") % {"count": len(outlets) - MAX_OUTLETS_SHOWN}
    return {
        "headline": story.title[:500],
        "url": best.url if best else "",
        "outlets": shown[:500],
        "comment": story.summary,
    }


def draft_edition(now: datetime | None = None, size: int = 10, language: str | None = None) -> Edition:
    """Draft the next edition from the top open stories, with their summaries as starting comments."""
    language = language or settings.LANGUAGE_CODE
    with transaction.atomic():
        number = next_edition_number()
        with translation.override(language):
            title = _("Issue %(number)d") % {"number": number}
        edition = Edition.objects.create(number=number, title=title, language=language)
        stories = stories_for_draft(size)
        with translation.override(language):
            picks = [
                Pick(edition=edition, story=story, position=index, **pick_fields(story))
                for index, story in enumerate(stories, start=1)
            ]
        Pick.objects.bulk_create(picks)
    log.info("drafted edition %s with %d picks", edition.number, len(picks))
    return edition


def reorder_picks(edition: Edition, pick_ids: Iterable[int]) -> None:
    """Put the edition's picks in the given order (positions 1..n); picks not named keep their order after."""
    wanted = [int(pick_id) for pick_id in pick_ids]
    picks = {pick.id: pick for pick in edition.picks.all()}
    ordered = [picks[pick_id] for pick_id in wanted if pick_id in picks]
    ordered += [pick for pick in sorted(picks.values(), key=lambda p: (p.position, p.id)) if pick not in ordered]
    for position, pick in enumerate(ordered, start=1):
        pick.position = position
    with transaction.atomic():
        Pick.objects.bulk_update(ordered, ["position"])
        _touch(edition)


def _touch(edition: Edition) -> None:
    """Bump `updated_at`, which is part of every cached page's key."""
    edition.save(update_fields=["updated_at"])


def _require(edition: Edition, allowed: set[str], action: str) -> None:
    if edition.status not in allowed:
        raise EditionError(
            _("Edition #%(number)d is %(status)s: it cannot be %(action)s.")
            % {"number": edition.number, "status": edition.get_status_display(), "action": action}
        )


def schedule_edition(edition: Edition, at: datetime | None = None, now: datetime | None = None) -> Edition:
    """Schedule for `at`, or for the next slot of TECHISSUE_SCHEDULE; the send-by deadline follows."""
    _require(edition, {Edition.Status.DRAFT, Edition.Status.SCHEDULED}, _("scheduled"))
    now = now or timezone.now()
    if at is None:
        at = next_slot(now, settings.TECHISSUE_SCHEDULE, ZoneInfo(settings.TIME_ZONE))
    if timezone.is_naive(at):
        at = timezone.make_aware(at, ZoneInfo(settings.TIME_ZONE))
    if at + SEND_WINDOW <= now:
        raise EditionError(_("That time has already passed."))
    edition.status = Edition.Status.SCHEDULED
    edition.scheduled_at = at
    edition.send_by = at + SEND_WINDOW
    edition.hold_reason = ""
    edition.save(update_fields=["status", "scheduled_at", "send_by", "hold_reason", "updated_at"])
    return edition


def unschedule_edition(edition: Edition) -> Edition:
    """Back to draft: the worker leaves it alone."""
    _require(edition, {Edition.Status.SCHEDULED}, _("unscheduled"))
    edition.status = Edition.Status.DRAFT
    edition.save(update_fields=["status", "updated_at"])
    return edition


def publish_edition(edition: Edition, now: datetime | None = None) -> Edition:
    """Put the edition in the archive and the Atom feed, without mailing it."""
    _require(edition, {s for s in Edition.Status if s != Edition.Status.CANCELLED}, _("published"))
    if edition.published_at is None:
        edition.published_at = now or timezone.now()
        edition.save(update_fields=["published_at", "updated_at"])
    return edition


def start_sending(edition: Edition, now: datetime | None = None) -> Edition:
    """Publish the edition and hand it to delivery; its stories count as sent from now on."""
    from techissue.delivery.services import start_send  # delivery depends on editions, not the reverse

    now = now or timezone.now()
    with transaction.atomic():
        locked = Edition.objects.select_for_update().get(pk=edition.pk)
        _require(locked, {Edition.Status.DRAFT, Edition.Status.SCHEDULED}, _("sent"))
        if not locked.picks.exists() and not locked.editorial_md.strip():
            raise EditionError(_("Edition #%(number)d is empty.") % {"number": locked.number})
        locked.published_at = locked.published_at or now
        locked.status = Edition.Status.SENDING
        locked.hold_reason = ""
        locked.save(update_fields=["published_at", "status", "hold_reason", "updated_at"])
        Story.objects.filter(picks__edition=locked, sent_at__isnull=True).update(sent_at=now)
        start_send(locked)
    edition.refresh_from_db()
    return edition


def finish_sending(edition: Edition, now: datetime | None = None) -> Edition:
    """Mark a sending edition as sent (delivery calls this when nothing is pending); safe to repeat."""
    now = now or timezone.now()
    updated = Edition.objects.filter(pk=edition.pk, status=Edition.Status.SENDING).update(
        status=Edition.Status.SENT, sent_at=now, updated_at=now
    )
    if updated:
        Story.objects.filter(picks__edition=edition).filter(Q(sent_at__isnull=True) | Q(sent_at__gt=now)).update(
            sent_at=now
        )
    edition.refresh_from_db()
    return edition


def hold_edition(edition: Edition, reason: str) -> Edition:
    """Leave a scheduled edition for the editor, with the reason shown in the admin."""
    edition.status = Edition.Status.DRAFT
    edition.hold_reason = reason
    edition.save(update_fields=["status", "hold_reason", "updated_at"])
    log.warning("edition %s held: %s", edition.number, reason)
    return edition


def cancel_edition(edition: Edition) -> Edition:
    """Cancel an edition that has not started sending; it leaves the archive, its stories become open again."""
    _require(edition, {Edition.Status.DRAFT, Edition.Status.SCHEDULED}, _("cancelled"))
    edition.status = Edition.Status.CANCELLED
    edition.save(update_fields=["status", "updated_at"])
    return edition
