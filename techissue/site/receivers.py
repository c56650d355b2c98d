"""Re-export the static archive after a transaction changes what a published edition or its picks show."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from techissue.editions.models import Edition, Pick
from techissue.site.export import EDITIONS_DIR, public_root, run_export

log = logging.getLogger(__name__)

# Edition numbers changed in this thread and not exported yet. An admin save touches the edition and each
# of its picks; collecting them means one export after the commit rather than one per row.
_pending = threading.local()


def _was_exported(number: int) -> bool:
    return any((public_root() / EDITIONS_DIR).glob(f"{number}-*"))


def _changed(number: int) -> None:
    numbers: set[int] = getattr(_pending, "numbers", None) or set()
    numbers.add(number)
    _pending.numbers = numbers
    # Every change registers a flush; the first to run after the commit exports them all, the rest find nothing.
    transaction.on_commit(_flush)


def _flush() -> None:
    numbers: set[int] = getattr(_pending, "numbers", None) or set()
    _pending.numbers = set()
    if not numbers:
        return
    try:
        run_export(numbers)
    except Exception:
        # The edit is committed whatever happens here; the static copy is repaired by `techissue publish_site`.
        log.exception("could not export the archive after editions %s changed", sorted(numbers))


def _concerns_archive(edition: Edition) -> bool:
    """Published now, or was (its page is on disk and must go or change)."""
    return edition.published_at is not None or _was_exported(edition.number)


@receiver(pre_save, sender=Edition, dispatch_uid="site-export-edition-renumbered")
def remember_old_number(sender: type[Edition], instance: Edition, **kwargs: Any) -> None:
    # A renumbered edition leaves a gap: the pages next to its old number need new links too.
    if instance.pk:
        old = Edition.objects.filter(pk=instance.pk).values_list("number", flat=True).first()
        instance._number_before_save = old  # type: ignore[attr-defined]


@receiver(post_save, sender=Edition, dispatch_uid="site-export-edition-saved")
@receiver(post_delete, sender=Edition, dispatch_uid="site-export-edition-deleted")
def edition_changed(sender: type[Edition], instance: Edition, **kwargs: Any) -> None:
    old = getattr(instance, "_number_before_save", None)
    if old is not None and old != instance.number and _was_exported(old):
        _changed(old)
    if _concerns_archive(instance):
        _changed(instance.number)


@receiver(post_save, sender=Pick, dispatch_uid="site-export-pick-saved")
@receiver(post_delete, sender=Pick, dispatch_uid="site-export-pick-deleted")
def pick_changed(sender: type[Pick], instance: Pick, **kwargs: Any) -> None:
    edition = Edition.objects.filter(pk=instance.edition_id).only("number", "published_at").first()
    if edition is not None and _concerns_archive(edition):
        _changed(edition.number)
