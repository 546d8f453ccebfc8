"""The neutral event: what every domain module puts on calendars, whatever the module.

Domain modules build `CalendarEvent`s in their own `calendar.py`; only `coord.calendar` turns them into
iCalendar, pages and invitations, and only it applies redaction (`redacted`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime

from flask_babel import gettext


class Visibility(enum.StrEnum):
    PUBLIC = "public"  # anyone who can see the calendar sees every field
    CONFIDENTIAL = "confidential"  # only time, place and link leave the module (case conferences)


class Status(enum.StrEnum):
    CONFIRMED = "confirmed"
    TENTATIVE = "tentative"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One event or one series. Times are aware UTC; a series repeats `rrule` in America/Toronto time."""

    uid: str
    kind: str  # one of the `event_kinds` a manifest declares (a page shows it as the CSS class cal-<kind>)
    start: datetime
    end: datetime
    title: str
    url: str  # path of the event's page, made absolute when rendered
    last_modified: datetime  # moves with every change of what the event shows (feeds key its text on it)
    created: datetime | None = None
    location: str = ""
    video_url: str = ""
    description: str = ""
    status: Status = Status.CONFIRMED
    sequence: int = 0
    visibility: Visibility = Visibility.PUBLIC
    rrule: str | None = None  # RRULE value, e.g. "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20271231T045959Z"
    exdates: tuple[datetime, ...] = ()  # original starts (UTC) of cancelled occurrences
    recurrence_id: datetime | None = None  # set on an override: the original start (UTC) it replaces
    overrides: tuple[CalendarEvent, ...] = field(default=())

    @property
    def is_series(self) -> bool:
        return self.rrule is not None

    @property
    def is_cancelled(self) -> bool:
        return self.status is Status.CANCELLED


def confidential_title() -> str:
    return gettext("Case conference")


def redacted(event: CalendarEvent, title: str | None = None) -> CalendarEvent:
    """The event as it may leave its module: a confidential one keeps only time, place, link and status.
    `title`: the confidential title, when the caller looked it up once for many events."""
    if event.visibility is not Visibility.CONFIDENTIAL:
        return event
    title = title or confidential_title()
    return replace(
        event,
        title=title,
        description="",
        overrides=tuple(redacted(override, title) for override in event.overrides),
    )
