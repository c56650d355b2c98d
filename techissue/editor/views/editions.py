"""Editions in the editor's area: the list, drafting, and the compose page with its picks (writes go to editions)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from techissue.curation.models import Story
from techissue.editions import preflight, services
from techissue.editions.models import Edition, Pick
from techissue.editor.access import editor_view
from techissue.editor.views.edition_common import compose_context, fragment, message

EDITION_FIELDS = {"title": 300, "subtitle": 500, "editorial_md": 200_000, "cover_alt": 300}
PICK_FIELDS = {"headline": 500, "url": 2000, "outlets": 500, "comment": 5000}
STORY_SEARCH_LIMIT = 12


@editor_view("editions.view_edition")
@require_GET
def editions(request: HttpRequest) -> HttpResponse:
    rows = Edition.objects.order_by("-number")[:100]
    picked = Story.objects.open_for_edition().filter(decision=Story.Decision.PICKED).count()
    context = {"title": _("Editions"), "section": "editions", "editions": rows, "picked_count": picked}
    return render(request, "editor/editions/list.html", context)


@editor_view("editions.add_edition")
@require_POST
def draft(request: HttpRequest) -> HttpResponse:
    """ "Draft an edition from my picks": the same action as `techissue edition draft`."""
    try:
        size = max(1, min(int(request.POST.get("size") or 10), 50))
    except ValueError:
        size = 10
    language = request.POST.get("language") if request.POST.get("language") in {"ko", "en"} else None
    edition = services.draft_edition(size=size, language=language)
    count = edition.picks.count()
    messages.success(
        request,
        _("Edition #%(number)d drafted with %(count)d picks.") % {"number": edition.number, "count": count}
        if count
        else _("Edition #%(number)d drafted, but no open story was left: add stories below.")
        % {"number": edition.number},
    )
    return redirect("editor:edition", pk=edition.pk)


@editor_view("editions.view_edition")
@require_GET
def compose(request: HttpRequest, pk: int) -> HttpResponse:
    edition = get_object_or_404(Edition, pk=pk)
    return render(request, "editor/editions/compose.html", compose_context(request, edition))


@editor_view("editions.change_edition")
@require_POST
def save_fields(request: HttpRequest, pk: int) -> HttpResponse:
    """Autosave of the edition's own fields; answers the save state, the Markdown problems and the email size."""
    edition = get_object_or_404(Edition, pk=pk)
    fields = {name: request.POST[name][:limit] for name, limit in EDITION_FIELDS.items() if name in request.POST}
    if request.POST.get("language") in {"ko", "en"}:
        fields["language"] = request.POST["language"]
    if "title" in fields and not fields["title"].strip():
        return message(request, _("The title cannot be empty; the last saved title is kept."), "error", status=400)
    try:
        services.update_edition(edition, **fields)
    except services.EditionError as error:
        return message(request, str(error), "error", status=409)
    size = preflight.email_size(edition)
    context = {
        "saved_at": timezone.localtime(),
        "problems": preflight.markdown_problems(edition.editorial_md),
        "email_kb": round(size / 1024),
        "too_large": size > preflight.GMAIL_CLIP_BYTES,
        "limit_kb": round(preflight.GMAIL_CLIP_BYTES / 1024),
    }
    response = fragment(request, "editor/editions/_save_state.html", context)
    response["HX-Trigger"] = json.dumps({"edition:saved": {"pk": edition.pk}})
    return response


@editor_view("editions.change_pick")
@require_POST
def save_pick(request: HttpRequest, pk: int, pick_id: int) -> HttpResponse:
    pick = get_object_or_404(Pick, pk=pick_id, edition_id=pk)
    fields = {name: request.POST[name][:limit] for name, limit in PICK_FIELDS.items() if name in request.POST}
    if "headline" in fields and not fields["headline"].strip():
        return message(request, _("A pick needs a headline; the last saved one is kept."), "error", status=400)
    try:
        services.update_pick(pick, **fields)
    except services.EditionError as error:
        return message(request, str(error), "error", status=409)
    response = message(request, _("Saved."), "success")
    response["HX-Trigger"] = json.dumps({"edition:saved": {"pk": pk}})
    return response


@editor_view("editions.delete_pick")
@require_POST
def remove_pick(request: HttpRequest, pk: int, pick_id: int) -> HttpResponse:
    pick = get_object_or_404(Pick, pk=pick_id, edition_id=pk)
    try:
        services.remove_pick(pick)
    except services.EditionError as error:
        return message(request, str(error), "error", status=409)
    response = HttpResponse("")
    response["HX-Trigger"] = json.dumps({"edition:saved": {"pk": pk}, "editor:toast": _("Pick removed.")})
    return response


@editor_view("editions.change_pick")
@require_POST
def reorder(request: HttpRequest, pk: int) -> HttpResponse:
    edition = get_object_or_404(Edition, pk=pk)
    try:
        order = [int(value) for value in request.POST.getlist("pick")]
    except ValueError:
        return message(request, _("The order could not be read; reload the page."), "error", status=400)
    services.reorder_picks(edition, order)
    response = HttpResponse(status=204)
    response["HX-Trigger"] = json.dumps({"edition:saved": {"pk": pk}})
    return response


@editor_view("editions.view_edition")
@require_GET
def story_search(request: HttpRequest, pk: int) -> HttpResponse:
    """Open stories to add, best first, filtered by words of their title."""
    edition = get_object_or_404(Edition, pk=pk)
    query = (request.GET.get("q") or "").strip()[:200]
    stories = Story.objects.open_for_edition().exclude(picks__edition=edition)
    if query:
        stories = stories.filter(title__icontains=query)
    context = {"edition": edition, "stories": list(stories[:STORY_SEARCH_LIMIT]), "query": query}
    return render(request, "editor/editions/_story_results.html", context)


@editor_view("editions.add_pick")
@require_POST
def add_story(request: HttpRequest, pk: int, story_id: int) -> HttpResponse:
    """Add a story to this edition: answers the new pick's row, to be placed at the end of the list."""
    edition = get_object_or_404(Edition, pk=pk)
    story = get_object_or_404(Story, pk=story_id)
    try:
        pick = services.add_story(edition, story)
    except services.EditionError as error:
        return message(request, str(error), "error", status=409)
    html = render_to_string("editor/editions/_pick.html", {"pick": pick, "edition": edition, "editable": True}, request)
    response = HttpResponse(html)
    response["HX-Trigger"] = json.dumps({"edition:saved": {"pk": pk}, "editor:toast": _("Story added.")})
    return response


@editor_view("editions.add_pick")
@require_POST
def add_to_draft(request: HttpRequest, story_id: int) -> HttpResponse:
    """ "Add this story to the edition" from anywhere (the desk): into the newest draft, drafting one if none."""
    story = get_object_or_404(Story, pk=story_id)
    edition = Edition.objects.filter(status=Edition.Status.DRAFT).order_by("-number").first()
    if edition is None:
        edition = services.draft_edition(size=0)
    services.add_story(edition, story)
    return message(request, _("Added to edition #%(number)d.") % {"number": edition.number}, "success")
