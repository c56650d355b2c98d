"""The collect pipeline: feeds in parallel, teasers filled from pages, failures kept apart."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import pytest

from techissue.sources.collect import FeedJob, FeedOutcome, collect
from techissue.sources.xmlsafety import REFUSED_BUDGET

from .badserver import ETAG
from .helpers import quick_policy, run


def collect_all(jobs: list[FeedJob], **options) -> tuple[dict[int, FeedOutcome], list[tuple[int, int]]]:
    progress: list[tuple[int, int]] = []

    async def go() -> dict[int, FeedOutcome]:
        outcomes = {}
        async for outcome in collect(
            jobs, quick_policy(), on_progress=lambda done, total, _: progress.append((done, total)), **options
        ):
            outcomes[outcome.feed_id] = outcome
        return outcomes

    return run(go()), progress


@pytest.fixture(scope="module")
def teasers(server):
    known = {server.url("/article/known.html")}
    outcomes, _ = collect_all([FeedJob(1, server.url("/teasers.xml"), known_urls=known)])
    return {entry.title: entry for entry in outcomes[1].entries}, outcomes[1]


def test_it_fills_a_teaser_from_its_article_page(server, teasers):
    entries, _ = teasers
    english = entries["Factory news"]
    assert english.full_text_source == "page"
    assert "open a new factory" in english.text
    assert english.summary == "A short teaser."
    assert english.canonical_url == server.url("/article/en.html")  # the hint, minus utm_source
    assert english.lead_image == server.url("/img/factory.jpg")
    assert english.lang == "en" and english.page_error is None
    assert "javascript:" not in english.html and "onclick" not in english.html


def test_it_extracts_an_euc_kr_page(teasers):
    entries, _ = teasers
    korean = entries["반도체 공개"]
    assert korean.full_text_source == "page"
    assert "고대역폭 메모리" in korean.text and korean.lang == "ko"


def test_it_keeps_an_entry_whose_page_failed(teasers):
    entries, _ = teasers
    gone = entries["Gone"]
    assert gone.full_text_source == "summary"
    assert gone.text == "The page of this one is missing."
    assert gone.page_error == "http_status: the server answered 404 Not Found"


def test_it_uses_full_text_from_the_feed_without_fetching(server, teasers):
    entries, _ = teasers
    full = entries["Everything in the feed"]
    assert full.full_text_source == "feed"
    assert len(full.text) > 500 and "<script" not in full.html
    assert server.hits["/article/full.html"] == 0


def test_it_skips_entries_it_already_knows(server, teasers):
    entries, outcome = teasers
    assert "Seen before" not in entries
    assert outcome.skipped_known == 1
    assert server.hits["/article/known.html"] == 0


def test_it_keeps_going_when_feeds_fail(server):
    jobs = [
        FeedJob(1, server.url("/feed.xml")),
        FeedJob(2, server.url("/status/503")),
        FeedJob(3, server.url("/home.html")),
        FeedJob(4, server.url("/laughs.xml")),
        FeedJob(5, server.url("/loop-a")),
        FeedJob(6, "ftp://127.0.0.1/feed.xml"),
    ]
    outcomes, progress = collect_all(jobs)
    assert outcomes[1].ok and outcomes[1].entries[0].full_text_source == "page"
    assert (outcomes[2].ok, outcomes[2].error_kind, outcomes[2].retry_after) == (False, "http_status", 120)
    assert (outcomes[3].error_kind, outcomes[3].error_message) == ("parse", "the response is an HTML page, not a feed")
    assert outcomes[4].error_message == REFUSED_BUDGET
    assert outcomes[5].error_kind == "redirect_loop"
    assert outcomes[6].error_kind == "bad_url"
    assert progress == [(n, 6) for n in range(1, 7)]
    assert all(outcome.elapsed >= 0 for outcome in outcomes.values())


def test_it_reports_not_modified_with_the_validators(server):
    outcomes, _ = collect_all([FeedJob(7, server.url("/conditional.xml"), etag=ETAG)])
    outcome = outcomes[7]
    assert (outcome.ok, outcome.not_modified, outcome.entries, outcome.etag) == (True, True, [], ETAG)


def test_it_extracts_pages_in_a_process_pool(server):
    with ProcessPoolExecutor(max_workers=1) as pool:
        outcomes, _ = collect_all([FeedJob(8, server.url("/euc-kr.xml"))], extract_pool=pool)
    entry = outcomes[8].entries[0]
    assert entry.full_text_source == "page" and entry.lang == "ko"
    assert outcomes[8].feed_title == "한국 경제 뉴스"
