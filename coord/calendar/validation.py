"""Checks every module applies to what it puts on calendars: title, place, video link, times."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from coord.core.errors import ServiceError
from coord.core.text import check_single_line

MAX_DURATION = timedelta(hours=12)
YEARS = range(2000, 2101)  # dates outside are typing mistakes (and would overflow date arithmetic)


def check_place(title: str, location: str, video_url: str) -> None:
    """Title, place and link: one line each (they go into e-mail subjects and iCalendar lines)."""
    check_single_line(title, "title")
    check_single_line(location, "location")
    check_single_line(video_url, "video_url")
    if not title.strip() or len(title) > 200:
        raise ServiceError(_l("Give a title of at most 200 characters."), "title")
    if len(location) > 300:
        raise ServiceError(_l("The place is too long (300 characters at most)."), "location")
    if video_url and (len(video_url) > 500 or not video_url.startswith(("https://", "http://"))):
        raise ServiceError(_l("The video link must start with https://."), "video_url")


def check_times(starts_at: datetime, ends_at: datetime) -> None:
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ValueError("event times must be timezone-aware")
    check_year(starts_at, "starts_at")
    check_year(ends_at, "ends_at")
    if ends_at <= starts_at:
        raise ServiceError(_l("The end must come after the start."), "ends_at")
    if ends_at - starts_at > MAX_DURATION:
        raise ServiceError(_l("A meeting lasts at most 12 hours."), "ends_at")


def check_year(moment, field: str) -> None:
    if moment.year not in YEARS:
        raise ServiceError(_l("Give a date between 2000 and 2100."), field)
