"""The scheduler's tick: due editions go to delivery; one that missed its deadline waits for the editor."""

from __future__ import annotations

import logging
from datetime import datetime

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from techissue.editions import services
from techissue.editions.models import Edition

log = logging.getLogger(__name__)


def tick(now: datetime | None = None) -> bool:
    """Handle every due scheduled edition; return True when anything changed (the worker then ticks again soon)."""
    now = now or timezone.now()
    changed = False
    for edition in Edition.objects.due(now):
        if edition.send_by is not None and edition.send_by < now:
            with translation.override(edition.language):
                reason = _(
                    "Not sent: it was due at %(due)s and had to go out by %(deadline)s, but the scheduler "
                    "only saw it at %(now)s. Check it and schedule or send it again."
                ) % {
                    "due": _local(edition.scheduled_at or now),
                    "deadline": _local(edition.send_by),
                    "now": _local(now),
                }
            services.hold_edition(edition, reason)
            changed = True
            continue
        try:
            services.start_sending(edition, now=now)
        except services.EditionError as error:
            # Another worker got there first (nothing to do), or the edition cannot go (the editor must look).
            edition.refresh_from_db()
            if edition.status == Edition.Status.SCHEDULED:
                services.hold_edition(edition, str(error))
                changed = True
            continue
        log.info("edition %s handed to delivery", edition.number)
        changed = True
    return changed


def _local(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")
