"""The editor's home page for the day, and the language switch."""

from __future__ import annotations

import contextlib

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techissue.editor import preferences, today
from techissue.editor.access import editor_view
from techissue.editor.charts import line_chart_svg


@editor_view()
def home(request: HttpRequest) -> HttpResponse:
    growth = today.reader_growth(90)
    context = {
        "title": _("Today"),
        "section": "home",
        "health": today.feed_health(),
        "stories": today.top_stories(),
        "next": today.next_edition(),
        "last": today.last_edition(),
        "readers_now": growth[-1][1] if growth else 0,
        "readers_change": (growth[-1][1] - growth[0][1]) if growth else 0,
        "growth_svg": line_chart_svg(growth, _("Readers over the last 90 days")),
        "queue": today.queue_state(),
    }
    return render(request, "editor/home.html", context)


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
