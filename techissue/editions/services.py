"""The editor's actions on an edition's content: draft from stories, add, edit, reorder and remove picks.

State changes (schedule, publish, send, cancel, …) live in `techissue.editions.lifecycle`; their names are
re-exported here for the callers that know this module.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from techissue.curation.models import Story
from techissue.editions import lifecycle
from techissue.editions.lifecycle import (  # noqa: F401  (re-exported: callers know them from here)
    SEND_WINDOW,
    EditionError,
    cancel_edition,
    finish_sending,
    hold_edition,
    pause_sending,
    publish_edition,
    resume_sending,
    schedule_edition,
    start_sending,
    unpublish_edition,
    unschedule_edition,
)
from techissue.editions.links import clean_link
from techissue.editions.models import Edition, Pick

log = logging.getLogger(__name__)

MAX_OUTLETS_SHOWN = 4


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
        # The canonical address: the feed's link may carry the outlet's utm_* and other tracking parameters.
        "url": clean_link(best.canonical_url or best.url) if best else "",
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
    """Bump `updated_at` (part of every cached page's key) and tell the archive the content changed."""
    lifecycle.content_changed(edition)


EDITABLE_FIELDS = ("title", "subtitle", "language", "editorial_md", "cover_alt")
PICK_FIELDS = ("headline", "url", "outlets", "comment")


def _editable(edition: Edition) -> None:
    if edition.status not in (Edition.Status.DRAFT, Edition.Status.SCHEDULED) and not edition.is_published:
        raise EditionError(_("Edition #%(number)d can no longer be edited.") % {"number": edition.number})
    if edition.status in (Edition.Status.SENDING, Edition.Status.CANCELLED):
        raise EditionError(_("Edition #%(number)d can no longer be edited.") % {"number": edition.number})


def update_edition(edition: Edition, **fields: str) -> Edition:
    """Change the edition's own words (title, subtitle, language, editorial); unknown names are refused."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    _editable(edition)
    for name, value in fields.items():
        setattr(edition, name, value)
    with transaction.atomic():
        edition.save(update_fields=[*fields, "updated_at"])
        lifecycle.content_changed(edition)
    return edition


def add_story(edition: Edition, story: Story) -> Pick:
    """Add a story at the end of the edition (again only once: a story already in it is returned as it is)."""
    _editable(edition)
    existing = edition.picks.filter(story=story).first()
    if existing is not None:
        return existing
    with transaction.atomic(), translation.override(edition.language):
        position = (edition.picks.aggregate(top=Max("position"))["top"] or 0) + 1
        pick = Pick.objects.create(edition=edition, story=story, position=position, **pick_fields(story))
        _touch(edition)
    return pick


def update_pick(pick: Pick, **fields: str) -> Pick:
    """Change a pick's headline, link, outlets or comment; the link is stored without tracking parameters."""
    unknown = set(fields) - set(PICK_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    _editable(pick.edition)
    if "url" in fields:
        fields["url"] = clean_link(fields["url"])
    for name, value in fields.items():
        setattr(pick, name, value)
    with transaction.atomic():
        pick.save(update_fields=list(fields))
        _touch(pick.edition)
    return pick


def remove_pick(pick: Pick) -> None:
    """Take a pick out of its edition; the story is open for a later edition again."""
    edition = pick.edition
    _editable(edition)
    with transaction.atomic():
        pick.delete()
        reorder_picks(edition, edition.picks.values_list("id", flat=True))
