"""Month and week pages: the scope's occurrences (redacted) laid out by local day."""

from __future__ import annotations

import calendar as pycalendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from coord.calendar.events import CalendarEvent, redacted
from coord.calendar.recurrence import occurrences
from coord.calendar.sources import Scope, Window, events_for
from coord.core.localtime import LOCAL_TZ, local_today


@dataclass(frozen=True)
class PageItem:
    start: datetime
    end: datetime
    title: str
    url: str
    kind: str
    location: str
    cancelled: bool


@dataclass
class Day:
    date: date
    in_range: bool
    is_today: bool
    items: list[PageItem] = field(default_factory=list)


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LOCAL_TZ).astimezone(UTC)


def _items_by_day(scope: Scope, first: date, last: date) -> dict[date, list[PageItem]]:
    window = Window(_local_midnight(first), _local_midnight(last + timedelta(days=1)))
    by_day: dict[date, list[PageItem]] = defaultdict(list)
    for event in events_for(scope, window):
        shown: CalendarEvent = redacted(event)
        for occurrence in occurrences(shown, window):
            item = PageItem(
                start=occurrence.start,
                end=occurrence.end,
                title=occurrence.event.title,
                url=occurrence.event.url,
                kind=occurrence.event.kind,
                location=occurrence.event.location,
                cancelled=occurrence.event.is_cancelled,
            )
            by_day[occurrence.start.astimezone(LOCAL_TZ).date()].append(item)
    for items in by_day.values():
        items.sort(key=lambda item: (item.start, item.title))
    return by_day


def month_weeks(scope: Scope, year: int, month: int, first_weekday: int) -> list[list[Day]]:
    """Whole weeks covering the month, starting on `first_weekday` (0 = Monday, 6 = Sunday)."""
    weeks = pycalendar.Calendar(first_weekday).monthdatescalendar(year, month)
    by_day = _items_by_day(scope, weeks[0][0], weeks[-1][-1])
    today = local_today()
    return [
        [Day(day, day.month == month, day == today, by_day.get(day, [])) for day in week] for week in weeks
    ]


def week_days(scope: Scope, any_day: date, first_weekday: int) -> list[Day]:
    first = any_day - timedelta(days=(any_day.weekday() - first_weekday) % 7)
    days = [first + timedelta(days=n) for n in range(7)]
    by_day = _items_by_day(scope, days[0], days[-1])
    today = local_today()
    return [Day(day, True, day == today, by_day.get(day, [])) for day in days]
