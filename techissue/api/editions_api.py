"""/api/v1/editions: draft from picks, read, preview, schedule, publish, send after the pre-flight, and control a send."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from pydantic import Field

from techissue.api.access import keyset_page, require
from techissue.api.problems import Problem
from techissue.api.schemas import (
    DraftIn,
    EditionDetail,
    EditionPage,
    ProblemOut,
    ProgressOut,
    ScheduleIn,
    Strict,
)
from techissue.delivery.services import send_progress
from techissue.editions import lifecycle, preflight, services
from techissue.editions.models import Edition
from techissue.editions.render import prepare_email

router = Router(tags=["editions"])
ERRORS = {
    400: ProblemOut,
    401: ProblemOut,
    403: ProblemOut,
    404: ProblemOut,
    409: ProblemOut,
    422: ProblemOut,
    429: ProblemOut,
}


class SendIn(Strict):
    acknowledged: list[str] = Field(
        default_factory=list, max_length=20, description="The codes of the pre-flight warnings you accept"
    )


def _out(edition: Edition) -> dict[str, object]:
    return {
        "id": edition.pk,
        "number": edition.number,
        "title": edition.title,
        "subtitle": edition.subtitle,
        "language": edition.language,
        "status": edition.status,
        "scheduled_at": edition.scheduled_at,
        "published_at": edition.published_at,
        "sent_at": edition.sent_at,
        "url": edition.get_absolute_url(),
    }


def _detail(edition: Edition) -> dict[str, object]:
    picks = [
        {
            "id": pick.pk,
            "position": pick.position,
            "headline": pick.headline,
            "url": pick.url,
            "outlets": pick.outlets,
            "comment": pick.comment,
            "story_id": pick.story_id,
        }
        for pick in edition.picks.all()
    ]
    return {**_out(edition), "editorial_md": edition.editorial_md, "picks": picks}


def _edition(edition_id: int) -> Edition:
    return get_object_or_404(Edition, pk=edition_id)


def _act(action: object, edition: Edition, *args: object) -> dict[str, object]:
    try:
        action(edition, *args)  # type: ignore[operator]
    except lifecycle.EditionError as error:
        raise Problem(409, str(error)) from None
    edition.refresh_from_db()
    return _detail(edition)


@router.get("/", response={200: EditionPage, **ERRORS}, summary="Editions, newest first")
def list_editions(
    request: HttpRequest,
    status: str | None = Query(None, pattern="^(draft|scheduled|sending|sent|cancelled)$"),
    limit: int = Query(20, ge=1, le=100),
    cursor: str | None = None,
) -> dict[str, object]:
    require(request, "read", "editions.view_edition")
    found = Edition.objects.order_by("-number")
    if status:
        found = found.filter(status=status)
    return keyset_page(found, cursor, limit, key="number", newest_first=True, shape=_out)


@router.post(
    "/", response={201: EditionDetail, **ERRORS}, summary="Draft the next edition from the picks and top stories"
)
def draft(request: HttpRequest, payload: DraftIn) -> Status[dict[str, object]]:
    require(request, "write", "editions.add_edition")
    return Status(201, _detail(services.draft_edition(size=payload.size, language=payload.language)))


@router.get("/{edition_id}", response={200: EditionDetail, **ERRORS}, summary="One edition with its picks")
def get_edition(request: HttpRequest, edition_id: int) -> dict[str, object]:
    require(request, "read", "editions.view_edition")
    return _detail(_edition(edition_id))


@router.get("/{edition_id}/preview", response={200: str, **ERRORS}, summary="The email as HTML or plain text")
def preview(
    request: HttpRequest, edition_id: int, format: str = Query("html", pattern="^(html|text)$")
) -> HttpResponse:
    require(request, "read", "editions.view_edition")
    email = prepare_email(_edition(edition_id))
    _subject, text, html = email.personalize("", "#unsubscribe", "#preferences")
    if format == "text":
        return HttpResponse(text, content_type="text/plain; charset=utf-8")
    return HttpResponse(html, content_type="text/html; charset=utf-8")


@router.post(
    "/{edition_id}/schedule", response={200: EditionDetail, **ERRORS}, summary="Schedule for a time or the next slot"
)
def schedule(request: HttpRequest, edition_id: int, payload: ScheduleIn) -> dict[str, object]:
    require(request, "send", "editions.change_edition")
    return _act(lifecycle.schedule_edition, _edition(edition_id), payload.at)


@router.post(
    "/{edition_id}/publish", response={200: EditionDetail, **ERRORS}, summary="Publish on the web without mailing"
)
def publish(request: HttpRequest, edition_id: int) -> dict[str, object]:
    require(request, "send", "editions.change_edition")
    return _act(lifecycle.publish_edition, _edition(edition_id))


@router.post("/{edition_id}/send", response={200: EditionDetail, **ERRORS}, summary="Send now, after the pre-flight")
def send(request: HttpRequest, edition_id: int, payload: SendIn) -> dict[str, object]:
    require(request, "send", "editions.change_edition")
    edition = _edition(edition_id)
    try:
        preflight.send_after_checks(edition, set(payload.acknowledged))
    except preflight.SendRefused as refused:
        findings = [
            {"location": kind, "message": finding.message, "type": finding.code}
            for kind, group in (("error", refused.report.errors), ("warning", refused.report.warnings))
            for finding in group
        ]
        raise Problem(409, str(refused), findings) from None
    except lifecycle.EditionError as error:
        raise Problem(409, str(error)) from None
    edition.refresh_from_db()
    return _detail(edition)


@router.post("/{edition_id}/pause", response={200: EditionDetail, **ERRORS}, summary="Pause a send")
def pause(request: HttpRequest, edition_id: int) -> dict[str, object]:
    require(request, "send", "editions.change_edition")
    return _act(lifecycle.pause_sending, _edition(edition_id))


@router.post("/{edition_id}/resume", response={200: EditionDetail, **ERRORS}, summary="Resume a paused send")
def resume(request: HttpRequest, edition_id: int) -> dict[str, object]:
    require(request, "send", "editions.change_edition")
    return _act(lifecycle.resume_sending, _edition(edition_id))


@router.post(
    "/{edition_id}/cancel", response={200: EditionDetail, **ERRORS}, summary="Cancel a draft, a schedule or a send"
)
def cancel(request: HttpRequest, edition_id: int) -> dict[str, object]:
    require(request, "send", "editions.change_edition")
    return _act(lifecycle.cancel_edition, _edition(edition_id))


@router.get("/{edition_id}/progress", response={200: ProgressOut, **ERRORS}, summary="Deliveries by status")
def progress(request: HttpRequest, edition_id: int) -> dict[str, object]:
    require(request, "read", "editions.view_edition")
    edition = _edition(edition_id)
    return {"status": edition.status, "counts": send_progress(edition)}
