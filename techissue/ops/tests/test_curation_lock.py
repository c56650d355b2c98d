"""One curation at a time across all hosts: two runs started 2 s apart score as one, and queued requests coalesce."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from typing import Any

import pytest
from django.db import connection
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from techissue.curation import services as curation
from techissue.curation.management.commands.eval import GOALS
from techissue.curation.tests.corpus import CURATION_CORPUS
from techissue.evaluation import curation as corpus_eval
from techissue.newsroom.server import serve_corpus
from techissue.ops import jobs
from techissue.ops.locks import Busy, exclusive
from techissue.ops.tasks import TaskLoop
from techissue.sources import services as sources


def hold(name: str, taken: threading.Event, release: threading.Event) -> None:
    with exclusive(name):
        taken.set()
        release.wait(30)
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_second_holder_is_refused_until_the_first_lets_go() -> None:
    taken, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold, args=("drill", taken, release))
    holder.start()
    assert taken.wait(30)
    try:
        with pytest.raises(Busy), exclusive("drill", wait=False):
            pass
    finally:
        release.set()
        holder.join(30)
    with exclusive("drill", wait=False), exclusive("drill", wait=False):  # free again, and re-entrant
        pass


@pytest.mark.django_db(transaction=True)
def test_a_queued_curation_waits_while_another_runs_and_queued_ones_coalesce(settings: Any) -> None:
    settings.TECHISSUE_CURATE_IN_CHILD = False
    taken, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold, args=(jobs.CURATION_LOCK, taken, release))
    holder.start()
    assert taken.wait(30)
    try:
        jobs.curate_now.enqueue()
        assert TaskLoop("test:1", ["curate"]).step()
        # It came back for later instead of running alongside, and did not curate.
        first = DBTaskResult.objects.get(status=TaskResultStatus.SUCCESSFUL)
        assert first.return_value == {"deferred": True}
        assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1
    finally:
        release.set()
        holder.join(30)
    # Two more requests while one waits: still one queued.
    assert not jobs.request_curation()
    assert not jobs.request_curation()
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_curation_task_runs_in_a_child_process_that_gives_its_memory_back(settings: Any) -> None:
    settings.TECHISSUE_CURATE_IN_CHILD = True
    if not jobs.child_database_url():
        pytest.skip("an in-memory test database cannot be shared with a child process")
    jobs.curate_now.enqueue()
    assert TaskLoop("test:1", ["curate"]).step()
    row = DBTaskResult.objects.get()
    assert row.status == TaskResultStatus.SUCCESSFUL, row.traceback
    assert row.return_value["pid"] != os.getpid() and "seconds" in row.return_value


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_curations_started_two_seconds_apart_score_as_one_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """The drill of the issue: Korean feeds come in and a curation starts; 2 s later the English feeds come
    in and a second curation starts. Overlapping, the second clustered the English halves on their own.
    """
    if connection.vendor != "postgresql":
        pytest.skip("the split happened with concurrent writers on PostgreSQL; SQLite's lock is tested above")
    fetch_feeds = sources.fetch_feeds
    later: list[Any] = []

    def korean_first(feeds: list[Any], **kwargs: Any) -> Any:
        later.extend(feed for feed in feeds if feed.lang != "ko")
        return fetch_feeds([feed for feed in feeds if feed.lang == "ko"], **kwargs)

    def two_curations(**kwargs: Any) -> curation.CurateReport:
        def second() -> None:
            try:
                # The English feeds arrive once the first run has taken its list of new articles.
                time.sleep(2)
                fetch_feeds(later, processes=0)
                curation.curate(**kwargs)
            finally:
                connection.close()

        other = threading.Thread(target=second)
        other.start()
        report = curation.curate(**kwargs)
        other.join()
        return report

    monkeypatch.setattr(corpus_eval, "fetch_feeds", korean_first)
    monkeypatch.setattr(corpus_eval, "curate", two_curations)
    with serve_corpus(CURATION_CORPUS) as newsroom:  # kept up for the second fetch, which comes after
        monkeypatch.setattr(corpus_eval, "serve_corpus", lambda path: contextlib.nullcontext(newsroom))
        scores = corpus_eval.evaluate_corpus(CURATION_CORPUS)
    assert later, "the corpus has feeds in English"
    # The goals of `techissue eval curation`: run one after the other in this order, the two reach
    # F1 0.946 and cross-language recall 0.944; overlapping without the lock, F1 fell to 0.56.
    for measure in ("bcubed_f1", "cross_language_recall", "copy_precision"):
        assert getattr(scores, measure) >= GOALS[measure], (measure, scores)
