"""Recurring send slots such as "mon 07:00, thu 07:00", read in a time zone with daylight-saving rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo

WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_SLOT = re.compile(r"^(?P<day>[a-z]{3})[a-z]*\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})$")


@dataclass(frozen=True)
class Slot:
    weekday: int
    at: time


def parse_schedule(spec: str) -> list[Slot]:
    """Read "mon 07:00, thu 07:00" into slots; raise ValueError with the bad part named."""
    slots = []
    for part in (piece.strip().lower() for piece in spec.split(",")):
        if not part:
            continue
        match = _SLOT.match(part)
        if not match or match["day"] not in WEEKDAYS:
            raise ValueError(f"bad schedule slot {part!r}: expected a weekday and a time, like 'mon 07:00'")
        hour, minute = int(match["hour"]), int(match["minute"])
        if hour > 23 or minute > 59:
            raise ValueError(f"bad time in schedule slot {part!r}")
        slots.append(Slot(WEEKDAYS[match["day"]], time(hour, minute)))
    if not slots:
        raise ValueError("the schedule has no slot")
    return slots


def _real_local_time(day: datetime, at: time, zone: tzinfo) -> datetime:
    """The wall-clock time on that day; a time skipped by a spring-forward gap moves to just after it."""
    naive = datetime.combine(day.date(), at)
    local = naive.replace(tzinfo=zone, fold=0)
    # A round trip through UTC normalises a non-existent local time (02:30 on the spring-forward night).
    return local.astimezone(UTC).astimezone(zone)


def next_slot(after: datetime, spec: str, zone: tzinfo) -> datetime:
    """The first slot strictly after `after`, as an aware datetime in `zone`."""
    slots = parse_schedule(spec)
    local_after = after.astimezone(zone)
    candidates = []
    for days_ahead in range(8):
        day = local_after + timedelta(days=days_ahead)
        for slot in slots:
            if day.weekday() == slot.weekday:
                candidate = _real_local_time(day, slot.at, zone)
                if candidate > after:
                    candidates.append(candidate)
    return min(candidates)


def next_slots(after: datetime, spec: str, zone: tzinfo, count: int = 4) -> list[datetime]:
    """The next `count` slots after `after`, soonest first."""
    slots: list[datetime] = []
    moment = after
    for _index in range(count):
        moment = next_slot(moment, spec, zone)
        slots.append(moment)
    return slots
