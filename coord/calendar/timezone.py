"""The VTIMEZONE coord writes for America/Toronto: two yearly rules, the form every client reads alike.

`icalendar`'s default VTIMEZONE (every change since 1970 on one RDATE line) is misread by ical.js, the
parser in Thunderbird: it takes only the first RDATE value, so summer events come out an hour late. This
yearly-rule form is what Thunderbird, Outlook and Apple write, and every parser reads it alike.
`rules_match_zoneinfo` checks it against the tz database (tests call it for every year feeds can cover).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Timezone

from coord.core.localtime import LOCAL_TZ

TZID = "America/Toronto"

VTIMEZONE_TEXT = "\r\n".join(
    [
        "BEGIN:VTIMEZONE",
        f"TZID:{TZID}",
        f"X-LIC-LOCATION:{TZID}",
        "BEGIN:DAYLIGHT",
        "TZOFFSETFROM:-0500",
        "TZOFFSETTO:-0400",
        "TZNAME:EDT",
        "DTSTART:19700308T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:-0400",
        "TZOFFSETTO:-0500",
        "TZNAME:EST",
        "DTSTART:19701101T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
        "END:STANDARD",
        "END:VTIMEZONE",
        "",
    ]
)


def vtimezone() -> Timezone:
    return Timezone.from_ical(VTIMEZONE_TEXT)


def _nth_sunday(year: int, month: int, n: int) -> datetime:
    first = datetime(year, month, 1, tzinfo=UTC)
    return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (n - 1))


def rules_match_zoneinfo(year: int) -> bool:
    """True when the yearly rules give the tz database's UTC offset for every hour of `year`."""
    summer_starts = _nth_sunday(year, 3, 2) + timedelta(hours=7)  # 02:00 EST
    summer_ends = _nth_sunday(year, 11, 1) + timedelta(hours=6)  # 02:00 EDT
    instant = datetime(year, 1, 1, tzinfo=UTC)
    while instant.year == year:
        ruled = timedelta(hours=-4 if summer_starts <= instant < summer_ends else -5)
        if instant.astimezone(LOCAL_TZ).utcoffset() != ruled:
            return False
        instant += timedelta(hours=1)
    return True
