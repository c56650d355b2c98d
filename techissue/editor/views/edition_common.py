"""What the edition pages share: the compose page's context, and small answers in words for htmx."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from techissue.audience.models import Subscriber
from techissue.editions import preflight
from techissue.editions.models import Edition
from techissue.editions.progress import send_status
from techissue.editions.schedule import next_slots
from techissue.editor.access import may

EDITABLE_STATES = {Edition.Status.DRAFT, Edition.Status.SCHEDULED}


def message(request: HttpRequest, text: str, level: str = "info", status: int = 200) -> HttpResponse:
    return render(request, "editor/_message.html", {"message": text, "level": level}, status=status)


def fragment(request: HttpRequest, template: str, context: dict[str, object], status: int = 200) -> HttpResponse:
    return render(request, template, context, status=status)


def editor_name(request: HttpRequest) -> str:
    user = request.user
    return user.get_full_name() if isinstance(user, AbstractBaseUser) and hasattr(user, "get_full_name") else ""


def upcoming_slots(count: int = 4) -> list[object]:
    zone = ZoneInfo(settings.TIME_ZONE)
    return [
        timezone.localtime(slot, zone) for slot in next_slots(timezone.now(), settings.TECHISSUE_SCHEDULE, zone, count)
    ]


def readers_count() -> int:
    return Subscriber.objects.receiving().count()


def compose_context(request: HttpRequest, edition: Edition, **extra: object) -> dict[str, object]:
    editable = edition.status in EDITABLE_STATES and may(request, "editions.change_edition")
    size = preflight.email_size(edition)
    context: dict[str, object] = {
        "title": f"#{edition.number} {edition.title}",
        "section": "editions",
        "edition": edition,
        "picks": list(edition.picks.all()),
        "images": list(edition.images.all()[:30]),
        "editable": editable,
        "slots": upcoming_slots(),
        "schedule_spec": settings.TECHISSUE_SCHEDULE,
        "time_zone": settings.TIME_ZONE,
        "readers": readers_count(),
        "problems": preflight.markdown_problems(edition.editorial_md),
        "email_kb": round(size / 1024),
        "too_large": size > preflight.GMAIL_CLIP_BYTES,
        "limit_kb": round(preflight.GMAIL_CLIP_BYTES / 1024),
        "test_to": request.user.email if request.user.is_authenticated else "",
        "status": send_status(edition)
        if edition.status in {Edition.Status.SENDING, Edition.Status.SENT, Edition.Status.CANCELLED}
        else None,
        "max_upload_mb": round(settings.TECHISSUE_UPLOAD_MAX_BYTES / (1024 * 1024)),
    }
    context.update(extra)
    return context
