"""/api/v1/subscribers and /api/v1/stats: readers (double opt-in, as the site's form) and the audience's growth."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from techissue.api.access import keyset_page, require
from techissue.api.problems import Problem
from techissue.api.schemas import AcceptedOut, GrowthPoint, ProblemOut, SubscriberIn, SubscriberOut, SubscriberPage
from techissue.audience.models import Subscriber
from techissue.audience.subscribe import queue_subscription_request, unsubscribe

subscribers = Router(tags=["subscribers"])
stats = Router(tags=["stats"])
ERRORS = {400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 422: ProblemOut, 429: ProblemOut}


@subscribers.get("/", response={200: SubscriberPage, **ERRORS}, summary="Readers, filtered by status or text")
def list_subscribers(
    request: HttpRequest,
    status: str | None = Query(None, pattern="^(pending|active|unsubscribed|bounced|complained)$"),
    q: str | None = Query(None, max_length=200, description="Part of an address or a name"),
    limit: int = Query(50, ge=1, le=100),
    cursor: str | None = None,
) -> dict[str, object]:
    require(request, "read", "audience.view_subscriber")
    found = Subscriber.objects.order_by("id")
    if status:
        found = found.filter(status=status)
    if q:
        text = q.replace("\x00", "")
        found = found.filter(Q(email__icontains=text) | Q(name__icontains=text))
    return keyset_page(found, cursor, limit)


@subscribers.get("/{subscriber_id}", response={200: SubscriberOut, **ERRORS}, summary="One reader")
def get_subscriber(request: HttpRequest, subscriber_id: int) -> Subscriber:
    require(request, "read", "audience.view_subscriber")
    return get_object_or_404(Subscriber, pk=subscriber_id)


@subscribers.post("/", response={202: AcceptedOut, **ERRORS}, summary="Ask a reader to confirm (double opt-in)")
def create_subscriber(request: HttpRequest, payload: SubscriberIn) -> Status[dict[str, str]]:
    require(request, "write", "audience.add_subscriber")
    try:
        validate_email(payload.email)
    except DjangoValidationError:
        raise Problem(422, _("This is not an email address.")) from None
    # The same path as the site's form: the worker sends the confirmation mail, so nobody learns from the answer
    # whether the address was known.
    queue_subscription_request(payload.email, payload.name, payload.language)
    return Status(202, {"detail": _("A confirmation mail is on its way, unless this address cannot receive one.")})


@subscribers.delete("/{subscriber_id}", response={200: SubscriberOut, **ERRORS}, summary="Unsubscribe a reader")
def delete_subscriber(request: HttpRequest, subscriber_id: int) -> Subscriber:
    require(request, "write", "audience.change_subscriber")
    subscriber = get_object_or_404(Subscriber, pk=subscriber_id)
    unsubscribe(subscriber)
    subscriber.refresh_from_db()
    return subscriber


@stats.get("/growth", response={200: list[GrowthPoint], **ERRORS}, summary="Readers joining and leaving, by day")
def growth(request: HttpRequest, days: int = Query(90, ge=1, le=730)) -> list[dict[str, object]]:
    require(request, "read", "audience.view_subscriber")
    today = timezone.localdate()
    start = today - timedelta(days=days - 1)
    joined: dict[str, int] = {}
    left: dict[str, int] = {}
    for when in Subscriber.objects.filter(confirmed_at__date__gte=start).values_list("confirmed_at", flat=True):
        key = timezone.localtime(when).date().isoformat()
        joined[key] = joined.get(key, 0) + 1
    for when in Subscriber.objects.filter(left_at__date__gte=start).values_list("left_at", flat=True):
        key = timezone.localtime(when).date().isoformat()
        left[key] = left.get(key, 0) + 1
    active = Subscriber.objects.filter(status=Subscriber.Status.ACTIVE).count()
    points: list[dict[str, object]] = []
    for offset in range(days - 1, -1, -1):  # walk back from today's count of active readers
        day = (today - timedelta(days=days - 1 - offset)).isoformat()
        points.append({"day": day, "active": 0, "joined": joined.get(day, 0), "left": left.get(day, 0)})
    running = active
    for point in reversed(points):
        point["active"] = running
        running -= int(point["joined"]) - int(point["left"])  # type: ignore[call-overload]
    return points
