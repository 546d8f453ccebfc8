"""The independent iCalendar readers themselves: they agree on a hand-written calendar whose UTC
instants are known, they refuse broken calendars, and they read the calendar's own VTIMEZONE."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import icalendar
import pytest

from tests.calendar.independent_parsers import (
    READERS,
    ParserError,
    all_readers_agree,
    icaljs_instances,
    libical_instances,
    python_instances,
)

TORONTO = "\r\n".join(
    [
        "BEGIN:VTIMEZONE",
        "TZID:America/Toronto",
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
    ]
)


def calendar(*events: str, vtimezone: str = TORONTO) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//coord//tests//EN", vtimezone.strip("\r\n"), *events]
    return "\r\n".join([*lines, "END:VCALENDAR", ""])


def vevent(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VEVENT", "DTSTAMP:20260101T000000Z", *lines, "END:VEVENT"])


# Mondays 9:30 Toronto time from 2026-10-19, no end: EDT until 2026-11-01, EST until 2027-03-14, EDT again.
# 2026-11-16 is excluded; 2026-11-30 is moved to Tuesday 2026-12-01 14:00.
WEEKLY = vevent(
    "UID:weekly@coord.test",
    "SUMMARY:Réunion d'équipe",
    "DTSTART;TZID=America/Toronto:20261019T093000",
    "DTEND;TZID=America/Toronto:20261019T103000",
    "RRULE:FREQ=WEEKLY;BYDAY=MO",
    "EXDATE;TZID=America/Toronto:20261116T093000",
)
WEEKLY_MOVED = vevent(
    "UID:weekly@coord.test",
    "SUMMARY:Réunion d'équipe (déplacée)",
    "RECURRENCE-ID;TZID=America/Toronto:20261130T093000",
    "DTSTART;TZID=America/Toronto:20261201T140000",
    "DTEND;TZID=America/Toronto:20261201T150000",
)
# Second Tuesday of the month, 19:00-20:30, seven times: 2026-10-13 ... 2027-04-13.
MONTHLY = vevent(
    "UID:monthly@coord.test",
    "SUMMARY:Comité clinique",
    "STATUS:CONFIRMED",
    "DTSTART;TZID=America/Toronto:20261013T190000",
    "DTEND;TZID=America/Toronto:20261013T203000",
    "RRULE:FREQ=MONTHLY;BYDAY=2TU;COUNT=7",
)
CANCELLED = vevent(
    "UID:single@coord.test",
    "SUMMARY:Formation annulée",
    "STATUS:CANCELLED",
    "DTSTART;TZID=America/Toronto:20261105T100000",
    "DTEND;TZID=America/Toronto:20261105T120000",
)
FIXTURE = calendar(WEEKLY, WEEKLY_MOVED, MONTHLY, CANCELLED)
START = datetime(2026, 10, 1, tzinfo=UTC)
END = datetime(2027, 5, 1, tzinfo=UTC)


def by_recurrence_id(instances, uid):
    return {instance["recurrence_id"]: instance for instance in instances if instance["uid"] == uid}


def test_all_readers_agree_on_the_hand_written_calendar():
    instances = all_readers_agree(FIXTURE, START, END)

    weekly = by_recurrence_id(instances, "weekly@coord.test")
    # 9:30 EDT is 13:30Z, 9:30 EST is 14:30Z: both DST changes are read from the VTIMEZONE.
    assert weekly["2026-10-26T13:30:00Z"]["start"] == "2026-10-26T13:30:00Z"
    assert weekly["2026-10-26T13:30:00Z"]["end"] == "2026-10-26T14:30:00Z"
    assert weekly["2026-11-02T14:30:00Z"]["start"] == "2026-11-02T14:30:00Z"
    assert weekly["2027-03-08T14:30:00Z"]["start"] == "2027-03-08T14:30:00Z"
    assert weekly["2027-03-15T13:30:00Z"]["start"] == "2027-03-15T13:30:00Z"
    assert "2026-11-16T14:30:00Z" not in weekly  # EXDATE
    moved = weekly["2026-11-30T14:30:00Z"]
    assert (moved["start"], moved["end"]) == ("2026-12-01T19:00:00Z", "2026-12-01T20:00:00Z")
    assert moved["summary"] == "Réunion d'équipe (déplacée)"
    assert not any(instance["start"] == "2026-11-30T14:30:00Z" for instance in weekly.values())
    # No end: expansion stops at the window end (last Monday before 2027-05-01).
    assert max(weekly) == "2027-04-26T13:30:00Z"
    assert len(weekly) == 28 - 1  # 28 Mondays from 2026-10-19 to 2027-04-26, less the EXDATE
    assert {instance["summary"] for key, instance in weekly.items() if key != moved["recurrence_id"]} == {
        "Réunion d'équipe"
    }

    monthly = [instance["start"] for instance in instances if instance["uid"] == "monthly@coord.test"]
    assert monthly == [
        "2026-10-13T23:00:00Z",
        "2026-11-11T00:00:00Z",
        "2026-12-09T00:00:00Z",
        "2027-01-13T00:00:00Z",
        "2027-02-10T00:00:00Z",
        "2027-03-10T00:00:00Z",
        "2027-04-13T23:00:00Z",
    ]

    single = [instance for instance in instances if instance["uid"] == "single@coord.test"]
    assert single == [
        {
            "uid": "single@coord.test",
            "recurrence_id": None,
            "start": "2026-11-05T15:00:00Z",
            "end": "2026-11-05T17:00:00Z",
            "summary": "Formation annulée",
            "status": "CANCELLED",
        }
    ]


def test_window_is_start_inclusive_end_exclusive():
    instances = all_readers_agree(
        FIXTURE, datetime(2026, 11, 2, 14, 30, tzinfo=UTC), datetime(2026, 11, 9, 14, 30, tzinfo=UTC)
    )
    assert [(i["uid"], i["start"]) for i in instances] == [
        ("single@coord.test", "2026-11-05T15:00:00Z"),
        ("weekly@coord.test", "2026-11-02T14:30:00Z"),
    ]


def test_until_interval_bymonthday_and_an_override_moved_into_the_window():
    text = calendar(
        vevent(
            "UID:fortnight@coord.test",
            "SUMMARY:Aux deux semaines",
            "DTSTART;TZID=America/Toronto:20260302T090000",
            "DTEND;TZID=America/Toronto:20260302T100000",
            "RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=20260330T130000Z",
        ),
        vevent(
            "UID:ides@coord.test",
            "SUMMARY:Le 15",
            "DTSTART;TZID=America/Toronto:20260115T080000",
            "DURATION:PT45M",
            "RRULE:FREQ=MONTHLY;BYMONTHDAY=15",
        ),
        # The 2026-06-15 occurrence, after the window, is moved into it.
        vevent(
            "UID:ides@coord.test",
            "SUMMARY:Le 15, avancé",
            "RECURRENCE-ID;TZID=America/Toronto:20260615T080000",
            "DTSTART;TZID=America/Toronto:20260401T120000",
            "DTEND;TZID=America/Toronto:20260401T130000",
        ),
    )
    instances = all_readers_agree(text, datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC))
    assert [(i["uid"], i["recurrence_id"], i["start"], i["end"]) for i in instances] == [
        # UNTIL is inclusive: 2026-03-30 9:00 EDT is exactly 13:00Z.
        ("fortnight@coord.test", "2026-03-02T14:00:00Z", "2026-03-02T14:00:00Z", "2026-03-02T15:00:00Z"),
        ("fortnight@coord.test", "2026-03-16T13:00:00Z", "2026-03-16T13:00:00Z", "2026-03-16T14:00:00Z"),
        ("fortnight@coord.test", "2026-03-30T13:00:00Z", "2026-03-30T13:00:00Z", "2026-03-30T14:00:00Z"),
        ("ides@coord.test", "2026-01-15T13:00:00Z", "2026-01-15T13:00:00Z", "2026-01-15T13:45:00Z"),
        ("ides@coord.test", "2026-02-15T13:00:00Z", "2026-02-15T13:00:00Z", "2026-02-15T13:45:00Z"),
        ("ides@coord.test", "2026-03-15T12:00:00Z", "2026-03-15T12:00:00Z", "2026-03-15T12:45:00Z"),
        ("ides@coord.test", "2026-06-15T12:00:00Z", "2026-04-01T16:00:00Z", "2026-04-01T17:00:00Z"),
        ("ides@coord.test", "2026-04-15T12:00:00Z", "2026-04-15T12:00:00Z", "2026-04-15T12:45:00Z"),
    ]


@pytest.mark.parametrize("reader", [icaljs_instances, libical_instances])
def test_libical_and_icaljs_use_the_calendars_vtimezone_not_the_system_database(reader):
    # Same TZID, made-up definition: a reader that looked "America/Toronto" up in a zone database would
    # still say 13:30Z.
    fake = "\r\n".join(
        [
            "BEGIN:VTIMEZONE",
            "TZID:America/Toronto",
            "BEGIN:STANDARD",
            "TZOFFSETFROM:+0100",
            "TZOFFSETTO:+0100",
            "TZNAME:XXX",
            "DTSTART:19700101T000000",
            "END:STANDARD",
            "END:VTIMEZONE",
        ]
    )
    instances = reader(calendar(WEEKLY, vtimezone=fake), START, datetime(2026, 10, 27, tzinfo=UTC))
    assert [i["start"] for i in instances] == ["2026-10-19T08:30:00Z", "2026-10-26T08:30:00Z"]


BROKEN = {
    "unknown TZID": (
        FIXTURE.replace(
            "DTSTART;TZID=America/Toronto:20261013T190000", "DTSTART;TZID=Nowhere/Zone:20261013T190000"
        ),
        "Nowhere/Zone",
    ),
    "garbage line": (
        FIXTURE.replace("SUMMARY:Comité clinique", "SUMMARY:Comité clinique\r\nTHIS IS GARBAGE"),
        "GARBAGE",
    ),
    "not a calendar": ("hello\r\n", ""),
}


@pytest.mark.parametrize("reader", [icaljs_instances, libical_instances, python_instances])
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_calendar_raises_parser_error(reader, case):
    text, fragment = BROKEN[case]
    with pytest.raises(ParserError) as raised:
        reader(text, START, END)
    assert fragment in str(raised.value)


def test_icalendar_default_vtimezone_is_misread_by_icaljs():
    """icalendar's own VTIMEZONE for America/Toronto (`Timezone.from_tzid`, also what
    `Calendar.add_missing_timezones()` inserts): a STANDARD from 1970-01-01 plus one DAYLIGHT and one
    STANDARD observance, each listing every transition 1970-2037 on a single multi-valued RDATE line.

    - libical 3.0 reads it right: the same instants as with the two-rule VTIMEZONE.
    - icalendar + recurring-ical-events ignore it (America/Toronto comes from the system tz database).
    - ical.js 2.x takes only the first value of each RDATE property in a VTIMEZONE observance
      (lib/ical/timezone.js, `rdate.getFirstValue()`), so after 1971 it never sees another switch to
      daylight time: every summer instant comes out an hour late (as if EST), winter ones are right.
    """
    default = icalendar.Timezone.from_tzid("America/Toronto").to_ical().decode()
    assert re.search(r"RDATE:[^\r\n]*,", default), "expected multi-valued RDATE lines"
    text = calendar(WEEKLY, WEEKLY_MOVED, MONTHLY, CANCELLED, vtimezone=default)

    with pytest.raises(AssertionError, match="readers disagree"):
        all_readers_agree(text, START, END)

    reference = all_readers_agree(FIXTURE, START, END)
    assert libical_instances(text, START, END) == reference
    assert python_instances(text, START, END) == reference

    icaljs = by_recurrence_id(icaljs_instances(text, START, END), "weekly@coord.test")
    assert icaljs["2026-10-26T14:30:00Z"]["start"] == "2026-10-26T14:30:00Z"  # should be 13:30Z (EDT)
    assert icaljs["2027-04-26T14:30:00Z"]["start"] == "2027-04-26T14:30:00Z"  # should be 13:30Z (EDT)
    assert icaljs["2026-11-02T14:30:00Z"]["start"] == "2026-11-02T14:30:00Z"  # EST: right
    assert icaljs["2027-03-08T14:30:00Z"]["start"] == "2027-03-08T14:30:00Z"  # EST: right


ICALJS_QUIRKS = {
    # RFC 5545 counts DTSTART as the first instance; with RDATEs but no RRULE, ical.js leaves it out.
    "RDATE without RRULE": (
        ["RDATE;TZID=America/Toronto:20261103T110000,20261104T110000"],
        ["2026-10-19T13:30:00Z", "2026-11-03T16:00:00Z", "2026-11-04T16:00:00Z"],
    ),
    # A DTSTART that the RRULE does not generate (a Monday rule starting on a Wednesday; RFC 5545 calls the
    # result undefined): libical and recurring-ical-events keep it, ical.js drops it.
    "DTSTART off the rule": (
        ["RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20261103T000000Z"],
        ["2026-10-21T13:30:00Z", "2026-10-26T13:30:00Z", "2026-11-02T14:30:00Z"],
    ),
}


@pytest.mark.parametrize("case", sorted(ICALJS_QUIRKS))
def test_icaljs_leaves_out_a_dtstart_that_no_rule_generates(case):
    """Where the readers knowingly differ: keep coord's series free of these shapes."""
    extra, expected = ICALJS_QUIRKS[case]
    first = "20261021T093000" if case == "DTSTART off the rule" else "20261019T093000"
    text = calendar(
        vevent(
            "UID:quirk@coord.test",
            "SUMMARY:Quirk",
            f"DTSTART;TZID=America/Toronto:{first}",
            "DURATION:PT1H",
            *extra,
        )
    )
    starts = {name: [i["start"] for i in reader(text, START, END)] for name, reader in READERS.items()}
    assert starts["libical"] == starts["python"] == expected
    assert starts["ical.js"] == expected[1:]
