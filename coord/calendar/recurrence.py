"""Expanding a series into occurrences, in America/Toronto wall time (so 9:30 stays 9:30 across DST)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from dateutil.rrule import rrulestr

from coord.calendar.events import CalendarEvent
from coord.calendar.sources import Window
from coord.core.localtime import LOCAL_TZ

_UNTIL_UTC = re.compile(r"UNTIL=(\d{8}T\d{6})Z")
MAX_OCCURRENCES = 5000


@dataclass(frozen=True)
class Occurrence:
    event: CalendarEvent  # the series, an override, or a single event
    start: datetime
    end: datetime
    recurrence_id: datetime | None = None


def _local_naive(instant: datetime) -> datetime:
    return instant.astimezone(LOCAL_TZ).replace(tzinfo=None)


def _aware(local: datetime) -> datetime:
    return local.replace(tzinfo=LOCAL_TZ).astimezone(UTC)


def _local_rule(rule: str) -> str:
    """dateutil wants UNTIL in the same form as a naive DTSTART: turn UNTIL=...Z into local wall time."""

    def to_local(match: re.Match) -> str:
        until = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
        return f"UNTIL={_local_naive(until):%Y%m%dT%H%M%S}"

    return _UNTIL_UTC.sub(to_local, rule)


def series_starts(rule: str, first_start: datetime, until: datetime | None = None) -> list[datetime]:
    """UTC starts of a rule from `first_start`, stopping before `until` (and after MAX_OCCURRENCES)."""
    recurrence = rrulestr(_local_rule(rule), dtstart=_local_naive(first_start))
    starts = []
    for local in recurrence:
        start = _aware(local)
        if (until is not None and start >= until) or len(starts) >= MAX_OCCURRENCES:
            break
        starts.append(start)
    return starts


def occurrences(event: CalendarEvent, window: Window) -> list[Occurrence]:
    """Occurrences overlapping the window: the series expanded, EXDATEs removed, overrides applied."""
    if not event.is_series:
        overlaps = event.start < window.end and event.end > window.start
        return [Occurrence(event, event.start, event.end)] if overlaps else []
    duration = event.end - event.start
    excluded = set(event.exdates)
    overridden = {override.recurrence_id: override for override in event.overrides}
    found = []
    for start in series_starts(event.rrule or "", event.start, until=window.end):
        if start in excluded or start in overridden or start + duration <= window.start:
            continue
        found.append(Occurrence(event, start, start + duration, recurrence_id=start))
    for override in event.overrides:
        if override.start < window.end and override.end > window.start:
            found.append(Occurrence(override, override.start, override.end, override.recurrence_id))
    return sorted(found, key=lambda occurrence: occurrence.start)
