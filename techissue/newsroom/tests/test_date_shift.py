"""shift_to moves every date by one offset, so the newest article lands at the given moment."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime

import feedparser
import httpx
import pytest

from techissue.newsroom import Corpus, serve_corpus
from techissue.newsroom.tests.conftest import DEMO_CORPUS


def test_it_moves_the_newest_article_to_the_given_moment(demo_corpus: Corpus) -> None:
    moment = datetime(2027, 3, 1, 6, 0, tzinfo=UTC)
    shifted = demo_corpus.shifted(moment)
    assert shifted.newest() == moment
    offset = moment - demo_corpus.newest()
    for before, after in zip(demo_corpus.articles, shifted.articles, strict=True):
        assert after.published - before.published == offset
        assert after.published.utcoffset() == before.published.utcoffset()


def test_it_refuses_a_naive_moment(demo_corpus: Corpus) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        demo_corpus.shifted(datetime(2027, 3, 1))


def test_it_serves_shifted_dates_in_feeds() -> None:
    moment = datetime.now(UTC).replace(microsecond=0)
    with serve_corpus(DEMO_CORPUS, shift_to=moment) as server:
        newest = max(
            datetime.fromtimestamp(calendar.timegm(entry.published_parsed), tz=UTC)
            for url in server.feed_urls()
            for entry in feedparser.parse(httpx.get(url).content).entries
        )
    assert newest == moment
