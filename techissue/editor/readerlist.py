"""Readers for the editor's pages: search and status filters, one reader's history, and the CSV import adapter."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from techissue.audience import imports
from techissue.audience.models import Subscriber
from techissue.delivery.models import Delivery

FILTERS = ("active", "pending", "paused", "unsubscribed", "bounced", "complained")


def find_readers(q: str = "", status: str = "") -> QuerySet[Subscriber]:
    """Readers newest first; `q` matches the address or the name, `status` one of FILTERS."""
    readers = Subscriber.objects.order_by("-created_at", "-id")
    if status == "paused":
        readers = readers.filter(paused=True)
    elif status in FILTERS:
        readers = readers.filter(status=status)
    for word in q.split()[:4]:
        readers = readers.filter(Q(email__icontains=word) | Q(name__icontains=word))
    return readers


def reader_history(reader: Subscriber, limit: int = 50) -> dict[str, object]:
    """Consent (when, where, how), the deliveries newest first, bounces and complaints."""
    deliveries = list(
        Delivery.objects.filter(subscriber=reader).select_related("edition").order_by("-edition__number")[:limit]
    )
    failed = [d for d in deliveries if d.status == Delivery.Status.FAILED]
    return {
        "deliveries": deliveries,
        "failed": failed,
        "bounced": reader.status == Subscriber.Status.BOUNCED or reader.soft_bounces > 0,
        "complained": reader.status == Subscriber.Status.COMPLAINED,
    }


def import_upload(data: bytes) -> imports.ImportReport:
    """The audience import, fed the uploaded bytes (it detects UTF-8, UTF-16 and CP949/EUC-KR itself)."""
    return imports.import_bytes(data)
