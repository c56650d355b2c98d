"""Readers in the browser: search, status filters, CSV import with a per-row report, export, history."""

from __future__ import annotations

import io

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from techissue.audience.imports import export_rows
from techissue.audience.models import Subscriber
from techissue.editor.access import editor_view
from techissue.editor.readerlist import find_readers, import_upload, reader_history

PER_PAGE = 50
MAX_CSV_BYTES = 20 * 1024 * 1024


@editor_view("audience.view_subscriber")
def readers(request: HttpRequest) -> HttpResponse:
    q = " ".join(request.GET.get("q", "").split())[:200]
    status = request.GET.get("status", "")
    page = Paginator(find_readers(q, status), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "title": _("Readers"),
        "section": "readers",
        "page": page,
        "q": q,
        "status": status,
        "query": urlencode({key: value for key, value in {"q": q, "status": status}.items() if value}),
        "statuses": [
            ("", _("All")),
            ("active", _("active")),
            ("pending", _("pending")),
            ("paused", _("paused")),
            ("unsubscribed", _("unsubscribed")),
            ("bounced", _("bounced")),
            ("complained", _("complained")),
        ],
    }
    if request.headers.get("HX-Target") == "reader-table":
        return render(request, "editor/_reader_table.html", context)
    return render(request, "editor/readers.html", context)


@require_GET
@editor_view("audience.view_subscriber")
def reader(request: HttpRequest, reader_id: int) -> HttpResponse:
    subscriber = get_object_or_404(Subscriber, id=reader_id)
    context = {"title": subscriber.email, "section": "readers", "reader": subscriber, **reader_history(subscriber)}
    return render(request, "editor/reader.html", context)


@require_POST
@editor_view("audience.add_subscriber", "audience.change_subscriber")
def import_csv(request: HttpRequest) -> HttpResponse:
    """The CLI's import, with its per-row report: every good row goes in, every bad one is named."""
    upload = request.FILES.get("file")
    if upload is None:
        message = _("Choose a CSV file to import.")
        return render(request, "editor/_message.html", {"message": message, "level": "error"}, status=400)
    if upload.size and upload.size > MAX_CSV_BYTES:
        message = _("This file is too large (20 MB at most). Split it, and import the parts one by one.")
        return render(request, "editor/_message.html", {"message": message, "level": "error"}, status=400)
    report = import_upload(upload.read())
    return render(request, "editor/_import_report.html", {"report": report, "name": upload.name})


@require_GET
@editor_view("audience.view_subscriber")
def export_csv(request: HttpRequest) -> HttpResponse:
    """Every reader (or those the filters show) as CSV; cells that would start a formula are neutralised."""
    handle = io.StringIO()
    export_rows(handle, find_readers(request.GET.get("q", ""), request.GET.get("status", "")).order_by("pk").iterator())
    response = HttpResponse("\ufeff" + handle.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="techissue-readers-{stamp}.csv"'
    return response
