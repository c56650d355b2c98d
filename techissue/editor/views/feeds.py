"""Feeds in the browser: add by site address, OPML in and out, fetch now with progress, health, pause, weight."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from techissue.editor import fetchnow
from techissue.editor.access import editor_view
from techissue.editor.feedwords import feed_error_message
from techissue.editor.models import FetchRun
from techissue.editor.words import feed_error_words
from techissue.sources import editing
from techissue.sources.byhand import by_hand_url
from techissue.sources.feeds import FeedError, add_feed, export_opml, import_opml, read_opml_source
from techissue.sources.models import Feed

MAX_OPML_BYTES = 2 * 1024 * 1024
STATUSES = ("ok", "error", "new", "paused")


def _feeds(status: str = "") -> QuerySet[Feed]:
    feeds = Feed.objects.exclude(url=by_hand_url()).annotate(article_total=Count("articles")).order_by("title", "url")
    if status == "paused":
        return feeds.filter(active=False)
    if status in STATUSES:
        return feeds.filter(status=status, active=True)
    return feeds


def _row(request: HttpRequest, feed: Feed, error: str = "", status: int = 200) -> HttpResponse:
    feed = _feeds().get(id=feed.id)
    context = {"feed": feed, "words": feed_error_words(feed.error_kind), "row_error": error}
    return render(request, "editor/_feed_row.html", context, status=status)


def _message(request: HttpRequest, message: str, level: str, status: int = 200) -> HttpResponse:
    return render(request, "editor/_message.html", {"message": message, "level": level}, status=status)


@editor_view("sources.view_feed")
def feeds(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    rows = [(feed, feed_error_words(feed.error_kind)) for feed in _feeds(status)]
    context = {
        "title": _("Feeds"),
        "section": "feeds",
        "rows": rows,
        "status": status,
        "statuses": [
            ("", _("All")),
            ("ok", _("working")),
            ("error", _("failing")),
            ("new", _("not fetched yet")),
            ("paused", _("paused")),
        ],
        "latest_run": FetchRun.objects.filter(finished_at__isnull=True).order_by("-id").first(),
    }
    if request.headers.get("HX-Target") == "feed-table":
        return render(request, "editor/_feed_table.html", context)
    return render(request, "editor/feeds.html", context)


@require_POST
@editor_view("sources.add_feed")
def add(request: HttpRequest) -> HttpResponse:
    """A feed's address or a site's: the site's page is searched for its feed, as `feeds add` does."""
    url = request.POST.get("url", "").strip()
    if not url:
        return _message(request, _("Type the address of a site or of its feed."), "error", 400)
    known = set(Feed.objects.values_list("id", flat=True))
    try:
        feed = add_feed(url)
    except FeedError as error:
        return _message(request, feed_error_message(error), "error", 400)
    if feed.id in known:
        response = _message(request, _("“%(feed)s” is already followed.") % {"feed": feed}, "warning")
    else:
        words = _("Added “%(feed)s” (%(url)s). Its first fetch is due now.") % {"feed": feed, "url": feed.url}
        response = _message(request, words, "success")
    return trigger_client_event(response, "feeds:refresh", {})


@require_POST
@editor_view("sources.add_feed")
def import_file(request: HttpRequest) -> HttpResponse:
    """OPML from an uploaded file or from an http(s) address; a report of what was added."""
    upload = request.FILES.get("file")
    source = request.POST.get("url", "").strip()
    try:
        if upload is not None:
            if upload.size and upload.size > MAX_OPML_BYTES:
                return _message(request, _("This file is too large for an OPML list (2 MB at most)."), "error", 400)
            data = upload.read()
        elif source.startswith(("http://", "https://")):
            data = read_opml_source(source)
        elif source:
            return _message(
                request, _("This is not a web address (it must start with http:// or https://)."), "error", 400
            )
        else:
            return _message(request, _("Choose an OPML file, or give its address."), "error", 400)
        report = import_opml(data)
    except FeedError as error:
        return _message(request, feed_error_message(error), "error", 400)
    response = render(request, "editor/_opml_report.html", {"report": report})
    return trigger_client_event(response, "feeds:refresh", {})


@require_GET
@editor_view("sources.view_feed")
def export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(export_opml(), content_type="text/x-opml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="techissue-feeds.opml"'
    return response


@require_POST
@editor_view("sources.change_feed")
def fetch(request: HttpRequest) -> HttpResponse:
    feed_id = request.POST.get("feed", "")
    ids = [int(feed_id)] if feed_id.isdigit() else None
    run = fetchnow.start_fetch(ids, request.user)
    run.refresh_from_db()
    return render(request, "editor/_fetch_progress.html", {"run": run})


@require_GET
@editor_view("sources.view_feed")
def fetch_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(FetchRun, id=run_id)
    response = render(request, "editor/_fetch_progress.html", {"run": run})
    return trigger_client_event(response, "feeds:refresh", {}) if run.finished else response


@require_POST
@editor_view("sources.change_feed")
def set_active(request: HttpRequest, feed_id: int) -> HttpResponse:
    feed = get_object_or_404(Feed, id=feed_id)
    editing.set_feed_active(feed, request.POST.get("active") == "1")
    return _row(request, feed)


@require_POST
@editor_view("sources.change_feed")
def set_weight(request: HttpRequest, feed_id: int) -> HttpResponse:
    feed = get_object_or_404(Feed, id=feed_id)
    try:
        editing.set_feed_weight(feed, float(request.POST.get("weight", "").replace(",", ".")))
    except ValueError:
        return _row(request, feed, _("The weight must be a number between 0.1 and 3."), 400)
    return _row(request, feed)
