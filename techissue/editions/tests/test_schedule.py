"""Send slots: the next slot in the configured time zone, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from techissue.editions import services
from techissue.editions.models import Edition
from techissue.editions.schedule import next_slot, parse_schedule

SEOUL = ZoneInfo("Asia/Seoul")
BERLIN = ZoneInfo("Europe/Berlin")
DEFAULT = "mon 07:00, thu 07:00"


def test_it_finds_the_next_monday_or_thursday_morning_in_seoul() -> None:
    # Tuesday 2026-03-03 10:00 in Seoul: the next slot is Thursday 07:00 KST, which is Wednesday 22:00 UTC.
    after = datetime(2026, 3, 3, 10, 0, tzinfo=SEOUL)

    slot = next_slot(after, DEFAULT, SEOUL)

    assert slot == datetime(2026, 3, 5, 7, 0, tzinfo=SEOUL)
    assert slot.astimezone(UTC) == datetime(2026, 3, 4, 22, 0, tzinfo=UTC)


def test_it_skips_a_slot_that_is_exactly_now() -> None:
    now = datetime(2026, 3, 5, 7, 0, tzinfo=SEOUL)

    assert next_slot(now, DEFAULT, SEOUL) == datetime(2026, 3, 9, 7, 0, tzinfo=SEOUL)


def test_it_keeps_local_time_across_the_spring_change_in_berlin() -> None:
    # Berlin moves from UTC+1 to UTC+2 on Sunday 2026-03-29: Monday 07:00 is then 05:00 UTC, not 06:00.
    before = next_slot(datetime(2026, 3, 20, 12, 0, tzinfo=UTC), "mon 07:00", BERLIN)
    after = next_slot(datetime(2026, 3, 27, 12, 0, tzinfo=UTC), "mon 07:00", BERLIN)

    assert before.astimezone(UTC) == datetime(2026, 3, 23, 6, 0, tzinfo=UTC)
    assert after.astimezone(UTC) == datetime(2026, 3, 30, 5, 0, tzinfo=UTC)
    assert (after.hour, after.minute) == (7, 0)


def test_it_moves_a_slot_inside_the_spring_gap_to_after_the_gap() -> None:
    # 02:30 does not exist in Berlin on 2026-03-29; the edition goes out at 03:30 local (01:30 UTC).
    slot = next_slot(datetime(2026, 3, 28, 12, 0, tzinfo=UTC), "sun 02:30", BERLIN)

    assert slot.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_it_takes_the_first_of_two_repeated_hours_in_autumn() -> None:
    # 02:30 happens twice in Berlin on 2026-10-25; the slot is the first one (still summer time, 00:30 UTC).
    slot = next_slot(datetime(2026, 10, 24, 12, 0, tzinfo=UTC), "sun 02:30", BERLIN)

    assert slot.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize("spec", ["", "monday", "xyz 07:00", "mon 25:00", "mon 7"])
def test_it_refuses_a_bad_schedule(spec: str) -> None:
    with pytest.raises(ValueError):
        parse_schedule(spec)


@pytest.mark.django_db
def test_it_schedules_an_edition_for_the_next_configured_slot(settings) -> None:
    settings.TIME_ZONE = "Europe/Berlin"
    settings.TECHISSUE_SCHEDULE = "wed 09:15"
    edition = services.draft_edition()

    services.schedule_edition(edition, now=datetime(2026, 7, 1, 6, 0, tzinfo=UTC))  # 08:00 in Berlin (CEST)

    edition.refresh_from_db()
    assert edition.status == Edition.Status.SCHEDULED
    assert edition.scheduled_at == datetime(2026, 7, 1, 7, 15, tzinfo=UTC)
    assert edition.send_by == edition.scheduled_at + services.SEND_WINDOW


@pytest.mark.django_db
def test_it_reads_a_given_local_time_in_the_configured_zone(settings) -> None:
    settings.TIME_ZONE = "Asia/Seoul"
    edition = services.draft_edition()

    services.schedule_edition(edition, at=datetime(2026, 7, 2, 7, 0), now=datetime(2026, 7, 1, tzinfo=UTC))

    assert edition.scheduled_at.astimezone(UTC) == datetime(2026, 7, 1, 22, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_it_refuses_to_schedule_in_the_past_or_a_cancelled_edition() -> None:
    edition = services.draft_edition()
    with pytest.raises(services.EditionError):
        services.schedule_edition(edition, at=datetime(2020, 1, 1, tzinfo=UTC))
    services.cancel_edition(edition)
    with pytest.raises(services.EditionError):
        services.schedule_edition(edition)
