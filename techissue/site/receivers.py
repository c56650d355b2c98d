"""Re-export the static archive when an edition's lifecycle event says its public pages changed.

The events come from `techissue.editions.lifecycle` (publish, unpublish, cancel, send, and "changed" for
edits), after the commit; model signals are not used, so a raw row write cannot leave the two apart unseen
and every state change that matters has a name.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.db import transaction
from django.dispatch import receiver

from techissue.editions.lifecycle import edition_event
from techissue.editions.models import Edition
from techissue.site.export import EDITIONS_DIR, public_root, run_export

log = logging.getLogger(__name__)

# Edition numbers announced in this thread and not exported yet: several events of one action or request
# make one export.
_pending = threading.local()


def _was_exported(number: int) -> bool:
    return any((public_root() / EDITIONS_DIR).glob(f"{number}-*"))


def edition_changed(number: int) -> None:
    """The pages of edition `number` change (its post was written): export them after the commit."""
    _changed(number)


def _changed(number: int) -> None:
    numbers: set[int] = getattr(_pending, "numbers", None) or set()
    numbers.add(number)
    _pending.numbers = numbers
    # The events arrive after the commit; on_commit outside a transaction runs at once, inside one later.
    transaction.on_commit(_flush)


def post_changed(post_id: int) -> None:
    """A standalone post was written or deleted: its page, its neighbours' and the magazine change."""
    posts: set[int] = getattr(_pending, "posts", None) or set()
    posts.add(post_id)
    _pending.posts = posts
    transaction.on_commit(_flush)


def _flush() -> None:
    numbers: set[int] = getattr(_pending, "numbers", None) or set()
    posts: set[int] = getattr(_pending, "posts", None) or set()
    _pending.numbers, _pending.posts = set(), set()
    if not numbers and not posts:
        return
    try:
        run_export(numbers, posts)
    except Exception:
        # The change is committed whatever happens here; the static copy is repaired by `techissue publish_site`.
        log.exception("could not export the archive after editions %s changed", sorted(numbers))


@receiver(edition_event, dispatch_uid="site-export-edition-event")
def edition_event_received(
    sender: type[Edition], edition: Edition, event: str, old_number: int | None = None, **kwargs: Any
) -> None:
    if old_number is not None and old_number != edition.number and _was_exported(old_number):
        _changed(old_number)
    # Published now, or was (its page is on disk and must go or change).
    if edition.published_at is not None or _was_exported(edition.number):
        _changed(edition.number)
