"""A series' repetition as an RFC 5545 RRULE, computed from the first meeting's local date and time."""

from __future__ import annotations

from datetime import UTC, datetime, time

from coord.calendar.recurrence import series_starts
from coord.core.localtime import LOCAL_TZ
from coord.meetings.models import Frequency, MeetingSeries

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def nth_weekday(local: datetime) -> int:
    """1 for the first such weekday of the month ... 4; -1 (last) for a fifth one, which some months lack."""
    nth = (local.day - 1) // 7 + 1
    return -1 if nth == 5 else nth


def rrule_for(series: MeetingSeries) -> str:
    local = series.first_start.astimezone(LOCAL_TZ)
    weekday = WEEKDAYS[local.weekday()]
    parts = {
        Frequency.WEEKLY: ["FREQ=WEEKLY", f"BYDAY={weekday}"],
        Frequency.MONTHLY_BY_DATE: ["FREQ=MONTHLY", f"BYMONTHDAY={local.day}"],
        Frequency.MONTHLY_BY_WEEKDAY: ["FREQ=MONTHLY", f"BYDAY={nth_weekday(local)}{weekday}"],
    }[Frequency(series.frequency)]
    if series.repeat_interval > 1:
        parts.insert(1, f"INTERVAL={series.repeat_interval}")
    if series.until_date is not None:
        end_of_day = datetime.combine(series.until_date, time(23, 59, 59), tzinfo=LOCAL_TZ).astimezone(UTC)
        parts.append(f"UNTIL={end_of_day:%Y%m%dT%H%M%SZ}")
    elif series.count is not None:
        parts.append(f"COUNT={series.count}")
    return ";".join(parts)


def all_starts(series: MeetingSeries, until: datetime | None = None) -> list[datetime]:
    """UTC starts of the series (bounded by `until` and by recurrence.MAX_OCCURRENCES)."""
    return series_starts(rrule_for(series), series.first_start, until=until)


def last_start(series: MeetingSeries) -> datetime | None:
    """The last occurrence's start for a series with an end; None for one that repeats without end."""
    if series.until_date is None and series.count is None:
        return None
    starts = all_starts(series)
    return starts[-1] if starts else None
