"""Collected entries keep the outlet's midnight, the page's language, a clean byline and the real error."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from techissue.sources.collect import FeedJob

from .test_collect import collect_all


@pytest.fixture(scope="module")
def entries(server):
    outcomes, _ = collect_all([FeedJob(1, server.url("/real/teasers.xml"), time_zone="America/New_York")])
    assert outcomes[1].ok, outcomes[1].error_message
    return {entry.guid.rsplit("/", 1)[-1]: entry for entry in outcomes[1].entries}


def test_it_reads_a_bare_date_as_midnight_in_the_feeds_own_offset(entries):
    # The feed writes its dates at +09:00, so 2026-03-05 starts at 15:00 UTC the day before.
    assert entries["t1"].published == datetime(2026, 3, 4, 15, 0, tzinfo=UTC)


def test_it_falls_back_to_the_configured_time_zone_for_a_bare_date(server):
    outcomes, _ = collect_all([FeedJob(2, server.url("/real/date-only-teaser.xml"), time_zone="Asia/Seoul")])
    assert outcomes[2].entries[0].published == datetime(2026, 3, 4, 15, 0, tzinfo=UTC)
    outcomes, _ = collect_all([FeedJob(3, server.url("/real/date-only-teaser.xml"), time_zone="America/New_York")])
    assert outcomes[3].entries[0].published == datetime(2026, 3, 5, 5, 0, tzinfo=UTC)


def test_it_keeps_the_pages_language_when_the_text_says_nothing(entries):
    assert entries["t2"].full_text_source == "page"
    assert entries["t2"].lang == "ko"


def test_it_keeps_only_the_reporters_name_from_a_byline_box(entries):
    assert entries["t3"].author == "이동환"


def test_it_names_an_invalid_port_in_an_article_link(entries):
    assert entries["t4"].page_error == (
        "bad_url: 'http://127.0.0.1:99999/real/x.html' is not a valid URL (Port out of range 0-65535)"
    )


def test_it_notes_a_page_decoded_with_a_replaced_byte(entries):
    assert entries["t5"].full_text_source == "page"
    assert entries["t5"].decoding_note == "page: 1 byte could not be decoded as utf-8 and were replaced with U+FFFD"
