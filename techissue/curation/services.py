"""The curate stage's action: copies, incremental stories, scores and summaries, stored."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from techissue.curation.clustering import CurateReport, cluster_new_articles
from techissue.curation.models import Story, StoryMember
from techissue.curation.refresh import rescore
from techissue.ops.locks import one_at_a_time
from techissue.sources.models import Article


@one_at_a_time("curation")  # two curations at once split stories: every caller waits its turn, on every host
def curate(
    rebuild: bool = False, now: datetime | None = None, progress: Callable[[int], None] | None = None
) -> CurateReport:
    """Deduplicate, cluster, rank and summarise: incremental, or from scratch with `rebuild`.

    A rebuild keeps what the editor decided: locked stories (merged, split or edited) stay with
    their members; everything else is clustered again.
    """
    started = time.monotonic()
    now = now or timezone.now()
    report = CurateReport()
    if rebuild:
        with transaction.atomic():
            kept_ids = list(Story.objects.kept_by_editor().values_list("id", flat=True))
            StoryMember.objects.exclude(story_id__in=kept_ids).exclude(pinned=True).delete()
            Story.objects.exclude(id__in=kept_ids).filter(members__isnull=True).delete()
            Article.objects.exclude(story_member__story_id__in=kept_ids).update(duplicate_of=None)
    tick = time.monotonic()
    touched = cluster_new_articles(report, progress=progress)
    report.timings["cluster"] = time.monotonic() - tick
    report.rescored = rescore(touched, now, report.timings)
    report.seconds = time.monotonic() - started
    return report
