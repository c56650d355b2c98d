"""The editor's home page for the day, and the language switch."""

from __future__ import annotations

import contextlib

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techissue.editor import preferences
from techissue.editor.access import editor_view


@editor_view()
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "editor/home.html", {"title": _("Today"), "section": "home"})


@require_POST
@editor_view()
def language(request: HttpRequest) -> HttpResponse:
    """Switch the editor's pages to Korean or English, for this user from now on."""
    # An unknown code changes nothing; the page stays in the current language.
    with contextlib.suppress(ValueError):
        preferences.set_editor_language(request, request.POST.get("language", ""))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = "/editor/"
    return HttpResponseRedirect(target)
