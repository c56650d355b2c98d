"""Readers in the browser: search, status filters, CSV import with a per-row report, export, history."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from techissue.editor.access import editor_view


@editor_view("audience.view_subscriber")
def readers(request: HttpRequest) -> HttpResponse:
    return render(request, "editor/readers.html", {"title": _("Readers"), "section": "readers"})
