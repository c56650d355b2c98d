"""The triage desk: ranked stories, keyboard-first; every write goes through curation.desk."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from techissue.editor.access import editor_view


@editor_view("curation.view_story")
def desk(request: HttpRequest) -> HttpResponse:
    return render(request, "editor/desk.html", {"title": _("Desk"), "section": "desk"})
