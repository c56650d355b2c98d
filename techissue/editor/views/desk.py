"""The triage desk: ranked stories, keyboard-first; every write goes through curation.desk (views stay thin)."""

from __future__ import annotations

import importlib
from types import ModuleType

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from techissue.curation.models import Story
from techissue.curation.triage import (
    TriageFilters,
    decided_counts,
    desk_outlets,
    search_stories,
    story_for_desk,
    triage_stories,
)
from techissue.editor.access import HtmxRequest, editor_view
from techissue.editor.words import SCORE_PARTS

PER_PAGE = 40


def _desk() -> ModuleType:
    # Imported on use, as the admin does: merge and split pull in scikit-learn.
    return importlib.import_module("techissue.curation.desk")


def _story_or_none(story_id: int) -> Story | None:
    try:
        return story_for_desk(story_id)
    except Story.DoesNotExist:
        return None


def _gone(request: HttpRequest) -> HttpResponse:
    message = _("This story is gone: it was merged into another one or sent. Reload the desk.")
    return render(request, "editor/_message.html", {"message": message, "level": "warning"}, status=404)


def _card_context(story: Story, rank: int | None = None) -> dict[str, object]:
    return {"story": story, "rank": rank, "parts": SCORE_PARTS}


@editor_view("curation.view_story")
def desk(request: HtmxRequest) -> HttpResponse:
    filters = TriageFilters.from_query(request.GET)
    page = Paginator(triage_stories(filters), PER_PAGE).get_page(request.GET.get("page"))
    query = filters.as_query()
    context = {
        "title": _("Desk"),
        "section": "desk",
        "filters": filters,
        "page": page,
        "parts": SCORE_PARTS,
        "counts": decided_counts(),
        "outlets": desk_outlets(),
        "query": urlencode(query),
        "page_query": urlencode({**query, "page": str(page.number)}),
        "current": request.GET.get("story", ""),
        "views": [("open", _("Open")), ("picked", _("Picked")), ("skipped", _("Skipped"))],
        "since_choices": [
            ("", _("Any time")),
            ("24h", _("24 hours")),
            ("3d", _("3 days")),
            ("7d", _("7 days")),
            ("30d", _("30 days")),
        ],
    }
    if request.htmx and request.htmx.target == "desk-list":
        return render(request, "editor/_desk_list.html", context)
    return render(request, "editor/desk.html", context)


@require_GET
@editor_view("curation.view_story")
def story_panel(request: HttpRequest, story_id: int) -> HttpResponse:
    story = _story_or_none(story_id)
    if story is None:
        return _gone(request)
    return render(request, "editor/_story_panel.html", {"story": story, "parts": SCORE_PARTS})


@require_POST
@editor_view("curation.change_story")
def decide(request: HttpRequest, story_id: int) -> HttpResponse:
    """Pick, skip or undo; answers with the story's card, changed in place."""
    decision = request.POST.get("decision", "")
    story = _story_or_none(story_id)
    if story is None:
        return _gone(request)
    if decision not in Story.Decision.values:
        return render(
            request, "editor/_message.html", {"message": _("Unknown decision."), "level": "error"}, status=400
        )
    previous = story.decision
    _desk().decide(story, decision)
    rank = request.POST.get("rank", "")
    response = render(request, "editor/_story_card.html", _card_context(story, int(rank) if rank.isdigit() else None))
    words = {"picked": _("Picked."), "skipped": _("Skipped."), "": _("Back to open.")}[decision]
    trigger_client_event(response, "editor:decided", {"story": story.id, "decision": decision, "previous": previous})
    return trigger_client_event(response, "editor:toast", {"message": f"{words} {story.title[:60]}"})


@require_POST
@editor_view("curation.change_story")
def split(request: HttpRequest, story_id: int) -> HttpResponse:
    story = _story_or_none(story_id)
    if story is None:
        return _gone(request)
    ticked = {int(value) for value in request.POST.getlist("articles") if value.isdigit()}
    members = {member.article_id for member in story.members.all()}
    context: dict[str, object] = {"story": story, "parts": SCORE_PARTS}
    if not ticked & members or members <= ticked:
        context["error"] = _("Tick some, but not all, of the story's articles to split them off.")
        return render(request, "editor/_story_panel.html", context, status=400)
    new_story = _desk().split_story(story, sorted(ticked & members))
    context = {
        "story": story_for_desk(story.id),
        "parts": SCORE_PARTS,
        "notice": _("Split off into a story of its own."),
    }
    context["new_story"] = new_story
    response = render(request, "editor/_story_panel.html", context)
    return trigger_client_event(response, "desk:refresh", {"story": story.id})


@require_POST
@editor_view("curation.change_story")
def merge(request: HttpRequest) -> HttpResponse:
    """Merge stories: into `target` when given, else into the best-scored of those ticked."""
    ids = [int(value) for value in request.POST.getlist("stories") if value.isdigit()]
    target_id = request.POST.get("target", "")
    stories = list(Story.objects.filter(id__in=ids, merged_into__isnull=True).order_by("-score", "id"))
    target = next((s for s in stories if str(s.id) == target_id), stories[0] if stories else None)
    if target is None or len(stories) < 2:
        message = _("Mark at least two stories to merge (x on each, then m).")
        return render(request, "editor/_message.html", {"message": message, "level": "warning"}, status=400)
    _desk().merge_stories(target, [s for s in stories if s.id != target.id])
    context = {
        "story": story_for_desk(target.id),
        "parts": SCORE_PARTS,
        "notice": _("Merged %(count)d stories into this one.") % {"count": len(stories)},
    }
    response = render(request, "editor/_story_panel.html", context)
    return trigger_client_event(response, "desk:refresh", {"story": target.id})


@require_GET
@editor_view("curation.view_story")
def search(request: HttpRequest) -> HttpResponse:
    exclude = request.GET.get("exclude", "")
    found = search_stories(request.GET.get("q", "")[:200], int(exclude) if exclude.isdigit() else None)
    return render(
        request, "editor/_merge_search.html", {"found": found, "target": exclude, "q": request.GET.get("q", "")}
    )


@editor_view("sources.add_article", "curation.change_story")
def add_by_url(request: HtmxRequest) -> HttpResponse:
    """Paste an address (or come from the bookmarklet): fetch, store and curate it into a story."""
    from techissue.editor.addurl import add_and_curate

    url = (request.POST.get("url") or request.GET.get("url") or "").strip()
    if request.method != "POST":
        return render(request, "editor/desk_add.html", {"title": _("Add an article"), "section": "desk", "url": url})
    outcome = add_and_curate(url)
    if request.htmx:
        response = render(request, "editor/_add_result.html", {"outcome": outcome}, status=200 if outcome.ok else 400)
        return trigger_client_event(response, "desk:refresh", {}) if outcome.ok else response
    if not outcome.ok:
        return render(
            request,
            "editor/desk_add.html",
            {"title": _("Add an article"), "section": "desk", "url": url, "outcome": outcome},
            status=400,
        )
    messages.success(request, outcome.message)
    return HttpResponseRedirect(f"{reverse('editor:desk')}?story={outcome.story.id}")  # type: ignore[union-attr]
