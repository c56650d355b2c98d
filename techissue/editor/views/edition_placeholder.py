"""Editions in the editor's area: a placeholder page until the compose pages land (owned by compose)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from techissue.editor.access import editor_view


@editor_view("editions.view_edition")
def editions(request: HttpRequest) -> HttpResponse:
    return render(request, "editor/editions_placeholder.html", {"title": _("Editions"), "section": "editions"})
