""" "Fetch now" from the feeds page: a task on the worker that reports its progress row by row, for polling."""

from __future__ import annotations

import logging

from django.db.models import F
from django.utils import timezone
from django_tasks import task

from techissue.editor.models import FetchRun
from techissue.sources.collect import FeedOutcome
from techissue.sources.models import Feed

log = logging.getLogger(__name__)


def start_fetch(feed_ids: list[int] | None = None, user: object = None) -> FetchRun:
    """Queue a fetch of these feeds (all active ones when None); the worker runs it."""
    if feed_ids is None:
        feed_ids = list(Feed.objects.filter(active=True).values_list("id", flat=True))
    else:
        feed_ids = list(Feed.objects.filter(id__in=feed_ids).values_list("id", flat=True))
    run = FetchRun.objects.create(
        feed_ids=feed_ids,
        total=len(feed_ids),
        requested_by=user if getattr(user, "is_authenticated", False) else None,  # type: ignore[misc]
    )
    run_fetch.enqueue(run.id)
    return run


@task()
def run_fetch(run_id: int) -> dict[str, int]:
    """Claim the run's feeds, fetch them (counting each one as it ends), then curate what came in."""
    from techissue.sources.claiming import claim_due_feeds
    from techissue.sources.services import fetch_feeds

    run = FetchRun.objects.get(id=run_id)
    if run.finished:
        return {"new": run.new_articles}
    try:
        feeds = claim_due_feeds(feed_ids=run.feed_ids) if run.feed_ids else []
        busy = run.total - len(feeds)
        FetchRun.objects.filter(id=run.id).update(phase=FetchRun.Phase.FETCHING, busy=busy, done=busy)

        def one_done(feed: Feed, outcome: FeedOutcome) -> None:
            counts = {"done": F("done") + 1}
            if not outcome.ok:
                counts["failed"] = F("failed") + 1
            elif outcome.not_modified:
                counts["unchanged"] = F("unchanged") + 1
            else:
                counts["ok"] = F("ok") + 1
            FetchRun.objects.filter(id=run.id).update(current=str(feed)[:300], **counts)

        summary = fetch_feeds(feeds, on_feed_done=one_done) if feeds else None
        new = summary.new_articles if summary else 0
        FetchRun.objects.filter(id=run.id).update(phase=FetchRun.Phase.CURATING, new_articles=new, current="")
        if new:
            from techissue.curation.services import curate

            curate()
        FetchRun.objects.filter(id=run.id).update(phase=FetchRun.Phase.DONE, finished_at=timezone.now())
        return {"new": new}
    except Exception as error:
        log.exception("fetch run %s failed", run_id)
        FetchRun.objects.filter(id=run.id).update(
            phase=FetchRun.Phase.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
