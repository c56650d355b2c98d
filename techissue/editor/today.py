"""The numbers of the editor's home page: feed health, top stories, editions, reader growth, the queue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from techissue.audience.models import Subscriber
from techissue.curation.models import Story
from techissue.delivery.models import Delivery
from techissue.delivery.stats import edition_numbers
from techissue.editions.models import Edition
from techissue.editions.schedule import next_slot
from techissue.editor.words import feed_error_words
from techissue.sources.byhand import by_hand_url
from techissue.sources.models import Feed


@dataclass
class FeedHealth:
    ok: int = 0
    failing: int = 0
    new: int = 0
    paused: int = 0
    failures: list[dict[str, object]] = field(default_factory=list)


def feed_health(limit: int = 10) -> FeedHealth:
    """How many feeds are fine, failing, new or paused; the failing ones with their error in words."""
    feeds = Feed.objects.exclude(url=by_hand_url())
    counts = feeds.aggregate(
        ok=Count("pk", filter=Q(active=True, status=Feed.Status.OK)),
        failing=Count("pk", filter=Q(active=True, status=Feed.Status.ERROR)),
        new=Count("pk", filter=Q(active=True, status=Feed.Status.NEW)),
        paused=Count("pk", filter=Q(active=False)),
    )
    health = FeedHealth(**counts)
    for feed in feeds.filter(active=True, status=Feed.Status.ERROR).order_by("-error_count", "title")[:limit]:
        health.failures.append(
            {
                "feed": feed,
                "words": feed_error_words(feed.error_kind),
                "detail": feed.last_error,
            }
        )
    return health


def top_stories(limit: int = 5) -> list[Story]:
    return list(Story.objects.open_for_edition().filter(decision="")[:limit])


def next_edition(now: datetime | None = None) -> dict[str, object]:
    """The edition that goes out next (scheduled first, else the newest draft), and the next slot."""
    now = now or timezone.now()
    edition = (
        Edition.objects.filter(status=Edition.Status.SCHEDULED).order_by("scheduled_at", "number").first()
        or Edition.objects.filter(status=Edition.Status.DRAFT).order_by("-number").first()
    )
    slot = next_slot(now, settings.TECHISSUE_SCHEDULE, timezone.get_current_timezone())
    return {
        "edition": edition,
        "slot": edition.scheduled_at if edition and edition.scheduled_at else slot,
        "send_by": edition.send_by if edition else None,
        "picks": edition.picks.count() if edition else 0,
        "picked_stories": Story.objects.filter(decision=Story.Decision.PICKED, sent_at__isnull=True).count(),
    }


def last_edition() -> dict[str, object] | None:
    edition = Edition.objects.filter(status__in=[Edition.Status.SENT, Edition.Status.SENDING]).first()
    if edition is None:
        return None
    return {"edition": edition, "numbers": edition_numbers(edition)}


def reader_growth(days: int = 90, today: date | None = None) -> list[tuple[date, int]]:
    """Readers who had joined and not yet left, at the end of each of the last `days` days."""
    zone = timezone.get_current_timezone()
    today = today or timezone.localdate()
    first = today - timedelta(days=days - 1)
    start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
    joined_at = Coalesce("confirmed_at", "consent_at", "created_at")
    members = Subscriber.objects.exclude(status=Subscriber.Status.PENDING).annotate(joined=joined_at)
    before = members.filter(joined__lt=start).count() - members.filter(left_at__lt=start).count()
    joins = dict(
        members.filter(joined__gte=start)
        .annotate(day=TruncDate("joined", tzinfo=zone))
        .values_list("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    leaves = dict(
        members.filter(left_at__gte=start)
        .annotate(day=TruncDate("left_at", tzinfo=zone))
        .values_list("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    points, running = [], before
    for offset in range(days):
        day = first + timedelta(days=offset)
        running += joins.get(day, 0) - leaves.get(day, 0)
        points.append((day, running))
    return points


def queue_state() -> dict[str, object]:
    """Tasks waiting and running, deliveries in flight, and when fetch and curate last ran."""
    finished = DBTaskResult.objects.finished()
    return {
        "waiting": DBTaskResult.objects.ready().count(),
        "running": DBTaskResult.objects.running().count(),
        "in_flight": Delivery.objects.filter(
            status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING, Delivery.Status.DEFERRED]
        ).count(),
        "last_fetch": Feed.objects.aggregate(at=Max("last_fetched_at"))["at"],
        "last_curate": finished.filter(task_path__endswith="curate_now").aggregate(at=Max("finished_at"))["at"]
        or Story.objects.aggregate(at=Max("updated_at"))["at"],
        "failed_tasks": DBTaskResult.objects.failed()
        .filter(finished_at__gte=timezone.now() - timedelta(days=1))
        .count(),
    }
