"""Test, schedule, send and watch an edition in the editor's area; every state change is a lifecycle action."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from techissue.editions import lifecycle, preflight
from techissue.editions.models import Edition
from techissue.editions.progress import send_status
from techissue.editions.testmail import parse_addresses, send_test
from techissue.editor.access import editor_view
from techissue.editor.views.edition_common import compose_context, editor_name, message, readers_count


def _local(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _back(request: HttpRequest, edition: Edition, text: str, level: int = messages.SUCCESS) -> HttpResponse:
    messages.add_message(request, level, text)
    return redirect("editor:edition", pk=edition.pk)


@editor_view("editions.change_edition")
@require_POST
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Schedule for a proposed slot or for a time the editor typed (in TIME_ZONE); errors keep the page as it was."""
    edition = get_object_or_404(Edition, pk=pk)
    raw = (request.POST.get("at") or request.POST.get("slot") or "").strip()
    try:
        at = datetime.fromisoformat(raw) if raw else None
    except ValueError:
        return _back(request, edition, _("%(value)s is not a date and time.") % {"value": raw}, messages.ERROR)
    if at is not None and timezone.is_aware(at):
        at = timezone.localtime(at).replace(tzinfo=None)  # a proposed slot: its wall-clock time in TIME_ZONE
    try:
        lifecycle.schedule_edition(edition, at=at)
    except lifecycle.EditionError as error:
        return _back(request, edition, str(error), messages.ERROR)
    return _back(
        request,
        edition,
        _("Edition #%(number)d will go out at %(when)s.")
        % {"number": edition.number, "when": _local(edition.scheduled_at)},  # type: ignore[arg-type]
    )


@editor_view("editions.change_edition")
@require_POST
def unschedule(request: HttpRequest, pk: int) -> HttpResponse:
    edition = get_object_or_404(Edition, pk=pk)
    try:
        lifecycle.unschedule_edition(edition)
    except lifecycle.EditionError as error:
        return _back(request, edition, str(error), messages.ERROR)
    return _back(request, edition, _("Back to draft: it will not go out on its own."))


@editor_view("editions.change_edition")
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    edition = get_object_or_404(Edition, pk=pk)
    action = lifecycle.unpublish_edition if request.POST.get("off") else lifecycle.publish_edition
    try:
        action(edition)
    except lifecycle.EditionError as error:
        return _back(request, edition, str(error), messages.ERROR)
    return _back(request, edition, _("On the web.") if edition.is_published else _("Taken off the web."))


@editor_view("editions.change_edition")
@require_POST
def test_mail(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a test to the editor's own addresses; the answer says what the relay said, address by address."""
    edition = get_object_or_404(Edition, pk=pk)
    try:
        addresses = parse_addresses(request.POST.get("to", ""))
    except ValidationError as error:
        return message(request, " ".join(error.messages), "error", status=400)
    result = send_test(edition, addresses, editor_name(request) or request.user.get_username())
    parts = []
    if result.sent:
        parts.append(_("Test mail sent to %(addresses)s.") % {"addresses": ", ".join(result.sent)})
    parts += list(result.refused.values())
    level = "error" if result.refused and not result.sent else "warning" if result.refused else "success"
    return message(request, " ".join(parts), level, status=200 if result.sent else 502)


@editor_view("editions.change_edition")
@require_http_methods(["GET", "POST"])
def confirm_send(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Send #12 to 4,312 readers?": the only way to send now. Errors block; each warning needs a tick."""
    edition = get_object_or_404(Edition, pk=pk)
    if edition.status not in {Edition.Status.DRAFT, Edition.Status.SCHEDULED}:
        return _back(request, edition, _("This edition is not waiting to be sent."), messages.ERROR)
    refused = ""
    if request.method == "POST":
        try:
            preflight.send_after_checks(edition, set(request.POST.getlist("ack")))
        except preflight.SendRefused as error:
            report, refused = error.report, str(error)
        except lifecycle.EditionError as error:
            return _back(request, edition, str(error), messages.ERROR)
        else:
            messages.success(request, _("Edition #%(number)d is going out.") % {"number": edition.number})
            return redirect("editor:edition", pk=edition.pk)
    else:
        report = preflight.check_edition(edition)
    context = compose_context(
        request,
        edition,
        report=report,
        refused=refused,
        ticked=set(request.POST.getlist("ack")),
        readers=readers_count(),
        readers_shown=number_format(readers_count(), force_grouping=True),
    )
    return render(request, "editor/editions/confirm.html", context, status=400 if refused else 200)


@editor_view("editions.view_edition")
@require_GET
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The live panel (htmx polls it every two seconds while the send runs)."""
    edition = get_object_or_404(Edition, pk=pk)
    status = send_status(edition)
    response = render(request, "editor/editions/_progress.html", {"edition": edition, "status": status})
    if status.finished:
        response["HX-Trigger"] = "edition:send-ended"
    return response


@editor_view("editions.change_edition")
@require_POST
def control(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Pause, resume or cancel a send; answers the refreshed panel."""
    edition = get_object_or_404(Edition, pk=pk)
    actions = {"pause": lifecycle.pause_sending, "resume": lifecycle.resume_sending, "cancel": lifecycle.cancel_edition}
    if action not in actions:
        return message(request, _("Unknown action."), "error", status=404)
    try:
        actions[action](edition)
    except lifecycle.EditionError as error:
        return message(request, str(error), "error", status=409)
    edition.refresh_from_db()
    status = send_status(edition)
    response = render(request, "editor/editions/_progress.html", {"edition": edition, "status": status})
    if status.finished:
        response["HX-Trigger"] = "edition:send-ended"
    return response


@editor_view("editions.change_edition")
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    edition = get_object_or_404(Edition, pk=pk)
    try:
        stopped = lifecycle.cancel_edition(edition)
    except lifecycle.EditionError as error:
        return _back(request, edition, str(error), messages.ERROR)
    text = _("Edition #%(number)d cancelled.") % {"number": edition.number}
    if stopped:
        text += " " + _("%(count)d deliveries were not sent.") % {"count": stopped}
    return _back(request, edition, text, messages.WARNING)
