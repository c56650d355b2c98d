"""A failure while storing stops the collector thread cleanly instead of leaving it blocked on a full queue."""

from __future__ import annotations

import threading

import pytest

from techissue.sources.bridge import iter_outcomes
from techissue.sources.collect import FeedJob
from techissue.sources.models import Feed
from techissue.sources.services import fetch_feeds

from .helpers import quick_policy


class StoringFailed(Exception):
    pass


def collector_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "techissue-collector"]


def test_it_stops_the_collector_when_the_consumer_fails(server):
    jobs = [FeedJob(n, server.url(f"/not-xml?n={n}")) for n in range(8)]
    with pytest.raises(StoringFailed):
        for _outcome in iter_outcomes(jobs, quick_policy(), processes=0, queue_size=2):
            raise StoringFailed  # the database went away while storing the first feed
    # The queue holds 2 of the 8 outcomes: without a clean stop the thread would block forever.
    assert collector_threads() == []


@pytest.mark.django_db
def test_it_stops_the_collector_when_storing_a_feed_fails(server):
    feeds = [Feed.objects.create(url=server.url(f"/not-xml?feed={n}")) for n in range(3)]

    def fail(feed: Feed, outcome: object) -> None:
        raise StoringFailed

    with pytest.raises(StoringFailed):
        fetch_feeds(feeds, on_feed_done=fail, processes=0)
    assert collector_threads() == []
