"""/api/v1/feeds: the outlets followed, their health, and adding one by its feed's or its site's address."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from techissue.api.access import keyset_page, require
from techissue.api.problems import Problem
from techissue.api.schemas import FeedIn, FeedOut, FeedPage, FeedPatch, ProblemOut
from techissue.sources.feeds import FeedError, add_feed
from techissue.sources.models import Feed

router = Router(tags=["feeds"])
ERRORS = {400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 422: ProblemOut, 429: ProblemOut}


@router.get("/", response={200: FeedPage, **ERRORS}, summary="List feeds with their health")
def list_feeds(
    request: HttpRequest,
    status: str | None = Query(None, pattern="^(ok|error|new)$"),
    limit: int = Query(20, ge=1, le=100),
    cursor: str | None = None,
) -> dict[str, object]:
    require(request, "read", "sources.view_feed")
    found = Feed.objects.order_by("id")
    if status:
        found = found.filter(status=status)
    return keyset_page(found, cursor, limit)


@router.get("/{feed_id}", response={200: FeedOut, **ERRORS}, summary="One feed")
def get_feed(request: HttpRequest, feed_id: int) -> Feed:
    require(request, "read", "sources.view_feed")
    return get_object_or_404(Feed, pk=feed_id)


@router.post("/", response={201: FeedOut, **ERRORS}, summary="Follow a feed (autodiscovery from a site's address)")
def create_feed(request: HttpRequest, payload: FeedIn) -> Status[Feed]:
    require(request, "write", "sources.add_feed")
    try:
        feed = add_feed(
            payload.url, name=payload.name, lang=payload.lang, weight=payload.weight, discover=payload.discover
        )
    except FeedError as error:
        raise Problem(422, str(error)) from None
    return Status(201, feed)


@router.patch("/{feed_id}", response={200: FeedOut, **ERRORS}, summary="Pause, resume, rename or weigh a feed")
def update_feed(request: HttpRequest, feed_id: int, payload: FeedPatch) -> Feed:
    require(request, "write", "sources.change_feed")
    feed = get_object_or_404(Feed, pk=feed_id)
    changed: list[str] = []
    if payload.active is not None:
        feed.active, changed = payload.active, [*changed, "active"]
    if payload.weight is not None:
        feed.weight, changed = payload.weight, [*changed, "weight"]
    if payload.name is not None:
        feed.title, changed = payload.name, [*changed, "title"]
    if changed:
        feed.save(update_fields=changed)
    return feed


@router.delete("/{feed_id}", response={204: None, **ERRORS}, summary="Stop following a feed (its articles go too)")
def delete_feed(request: HttpRequest, feed_id: int) -> Status[None]:
    require(request, "write", "sources.delete_feed")
    get_object_or_404(Feed, pk=feed_id).delete()
    return Status(204, None)
