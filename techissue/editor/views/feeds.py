"""Feeds in the browser: add by site address, OPML in and out, fetch now, health, pause and weight."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from techissue.editor.access import editor_view


@editor_view("sources.view_feed")
def feeds(request: HttpRequest) -> HttpResponse:
    return render(request, "editor/feeds.html", {"title": _("Feeds"), "section": "feeds"})
