"""Per-edition numbers for the admin, and a small inline SVG chart of messages sent over time."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from techissue.audience.models import Subscriber
from techissue.delivery.models import Delivery, Send
from techissue.editions.models import Edition

CHART_BUCKETS = 30


def edition_numbers(edition: Edition) -> dict[str, int]:
    """total, sent, deferred, failed, bounced (suppressed as bounced or complained), unsubscribed after it."""
    rows = Delivery.objects.filter(edition=edition)
    counts = rows.aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(status=Delivery.Status.SENT)),
        deferred=Count("pk", filter=Q(status=Delivery.Status.DEFERRED)),
        failed=Count("pk", filter=Q(status=Delivery.Status.FAILED)),
        bounced=Count("pk", filter=Q(subscriber__status__in=[Subscriber.Status.BOUNCED, Subscriber.Status.COMPLAINED])),
    )
    send = Send.objects.filter(edition=edition).first()
    unsubscribed = 0
    if send is not None:
        unsubscribed = rows.filter(
            status=Delivery.Status.SENT,
            subscriber__status=Subscriber.Status.UNSUBSCRIBED,
            subscriber__left_at__gte=send.started_at,
        ).count()
    return {**counts, "unsubscribed": unsubscribed}


def sent_over_time_svg(edition: Edition, width: int = 360, height: int = 80) -> SafeString:
    """Bars of messages sent per time slice, from the first to the last one sent."""
    times = [
        moment
        for moment in Delivery.objects.filter(edition=edition, sent_at__isnull=False)
        .order_by("sent_at")
        .values_list("sent_at", flat=True)
        if moment is not None  # filtered out already; this tells the type checker
    ]
    if not times:
        return format_html('<svg width="{}" height="{}" role="img"></svg>', width, height)
    start, span = times[0], max((times[-1] - times[0]).total_seconds(), 1.0)
    buckets = [0] * CHART_BUCKETS
    for moment in times:
        buckets[min(int((moment - start).total_seconds() / span * CHART_BUCKETS), CHART_BUCKETS - 1)] += 1
    peak = max(buckets)
    bar = width / CHART_BUCKETS
    bars = format_html_join(
        "",
        '<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="#2f6fdb"><title>{}</title></rect>',
        (
            (i * bar, height - count / peak * height, bar - 1, count / peak * height, count)
            for i, count in enumerate(buckets)
        ),
    )
    return format_html(
        '<svg width="{}" height="{}" viewBox="0 0 {} {}" role="img" aria-label="sent over {} s">{}</svg>',
        width,
        height,
        width,
        height,
        int(span),
        bars,
    )
