"""coord's iCalendar output read back by ical.js, libical and recurring-ical-events: same UTC instants."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from coord.calendar.events import CalendarEvent, Status, Visibility, redacted
from coord.calendar.ical import render_feed, render_itip
from coord.calendar.recurrence import occurrences
from coord.calendar.sources import Window
from coord.calendar.timezone import rules_match_zoneinfo
from coord.core.localtime import LOCAL_TZ
from tests.calendar.independent_parsers import all_readers_agree

MODIFIED = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ).astimezone(UTC)


def weekly_series() -> CalendarEvent:
    """Tuesdays 9:30–11:00 from 13 Oct 2026 to 30 Mar 2027: crosses 1 Nov 2026 and 14 Mar 2027."""
    moved_from = local(2026, 11, 10, 9, 30)
    return CalendarEvent(
        uid="meeting-series-1@coord.spheres",
        kind="meeting",
        start=local(2026, 10, 13, 9, 30),
        end=local(2026, 10, 13, 11, 0),
        title="Comité clinique; suivi, « dossiers » \\ partenaires",
        url="/meetings/series/1",
        last_modified=MODIFIED,
        location="CIUSSS, 1560 rue Sherbrooke Est, Montréal",
        rrule="FREQ=WEEKLY;BYDAY=TU;UNTIL=20270331T035959Z",
        exdates=(local(2026, 11, 3, 9, 30),),
        overrides=(
            CalendarEvent(
                uid="meeting-series-1@coord.spheres",
                kind="meeting",
                start=local(2026, 11, 12, 14, 0),
                end=local(2026, 11, 12, 15, 30),
                title="Comité clinique (déplacé)",
                url="/meetings/7",
                last_modified=MODIFIED,
                sequence=1,
                recurrence_id=moved_from,
            ),
        ),
    )


def monthly_series() -> CalendarEvent:
    return CalendarEvent(
        uid="meeting-series-2@coord.spheres",
        kind="meeting",
        start=local(2026, 10, 13, 13, 0),  # the 2nd Tuesday of October
        end=local(2026, 10, 13, 15, 0),
        title="Comité directeur",
        url="/meetings/series/2",
        last_modified=MODIFIED,
        rrule="FREQ=MONTHLY;BYDAY=2TU;COUNT=8",
    )


def conference() -> CalendarEvent:
    return CalendarEvent(
        uid="case-conference-3@coord.spheres",
        kind="case_conference",
        start=local(2027, 7, 6, 10, 0),
        end=local(2027, 7, 6, 11, 0),
        title="Concertation J.T. — fugue, SPVM et CIUSSS",
        description="Participante de 15 ans, retour de fugue",
        url="/conferences/3",
        last_modified=MODIFIED,
        location="CLSC Hochelaga",
        visibility=Visibility.CONFIDENTIAL,
    )


def cancelled_single() -> CalendarEvent:
    return CalendarEvent(
        uid="meeting-9@coord.spheres",
        kind="meeting",
        start=local(2027, 3, 14, 10, 0),
        end=local(2027, 3, 14, 11, 0),
        title="Rencontre annulée",
        url="/meetings/9",
        last_modified=MODIFIED,
        status=Status.CANCELLED,
        sequence=2,
    )


WINDOW = (datetime(2026, 10, 1, tzinfo=UTC), datetime(2027, 12, 31, tzinfo=UTC))


@pytest.fixture
def feed_text(make_app):
    app = make_app(PUBLIC_URL="https://coord.example.org")
    with app.test_request_context("/", base_url="http://forged.example"):  # links never come from the Host
        events = [redacted(e) for e in (weekly_series(), monthly_series(), conference(), cancelled_single())]
        return render_feed(events, "SPHÈRES — Mon horaire").decode()


def test_vtimezone_rules_match_the_tz_database_for_every_year_feeds_can_cover():
    assert all(rules_match_zoneinfo(year) for year in range(2007, 2050))


def test_every_reader_reads_the_same_instants_across_both_daylight_saving_changes(feed_text):
    instances = all_readers_agree(feed_text, *WINDOW)
    weekly = [i for i in instances if i["uid"] == "meeting-series-1@coord.spheres"]
    starts = {i["start"] for i in weekly}
    assert "2026-10-27T13:30:00Z" in starts  # 9:30 EDT
    assert "2026-11-17T14:30:00Z" in starts  # 9:30 EST, after the November change
    assert "2027-03-09T14:30:00Z" in starts  # last Tuesday before the March change
    assert "2027-03-16T13:30:00Z" in starts  # 9:30 EDT again
    assert "2026-11-03T14:30:00Z" not in starts  # EXDATE
    moved = [i for i in weekly if i["recurrence_id"] == "2026-11-10T14:30:00Z"]
    assert [(m["start"], m["summary"]) for m in moved] == [
        ("2026-11-12T19:00:00Z", "Comité clinique (déplacé)")
    ]
    assert len(weekly) == 25 - 1  # 25 Tuesdays, one cancelled, the moved one counted once
    monthly = [i["start"] for i in instances if i["uid"] == "meeting-series-2@coord.spheres"]
    assert monthly[:3] == ["2026-10-13T17:00:00Z", "2026-11-10T18:00:00Z", "2026-12-08T18:00:00Z"]
    assert len(monthly) == 8
    cancelled = [i for i in instances if i["uid"] == "meeting-9@coord.spheres"]
    assert [(c["start"], c["status"]) for c in cancelled] == [("2027-03-14T14:00:00Z", "CANCELLED")]


def test_case_conference_is_redacted_in_the_feed(feed_text):
    assert "J.T." not in feed_text and "fugue" not in feed_text and "15 ans" not in feed_text
    calendar = Calendar.from_ical(feed_text)
    (event,) = [e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("case-conference")]
    assert str(event["SUMMARY"]) == "Rencontre de concertation"
    assert str(event["LOCATION"]) == "CLSC Hochelaga"
    assert str(event["URL"]) == "https://coord.example.org/conferences/3"
    assert str(event["CLASS"]) == "CONFIDENTIAL"


def test_feed_has_calendar_properties_escaping_and_folding(feed_text):
    lines = feed_text.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines
    assert any(line.startswith("NAME:SPHÈRES") for line in lines)
    unfolded = feed_text.replace("\r\n ", "")
    assert "SUMMARY:Comité clinique\\; suivi\\, « dossiers » \\\\ partenaires" in unfolded
    assert "EXDATE;TZID=America/Toronto:20261103T093000" in unfolded
    assert "RECURRENCE-ID;TZID=America/Toronto:20261110T093000" in unfolded
    assert "RDATE" not in feed_text and "BEGIN:VTIMEZONE" in feed_text


def test_page_expansion_agrees_with_the_readers(feed_text, app):
    with app.test_request_context("/"):
        series = weekly_series()
        window = Window(*WINDOW)
        mine = sorted(o.start.strftime("%Y-%m-%dT%H:%M:%SZ") for o in occurrences(series, window))
    readers = sorted(i["start"] for i in all_readers_agree(feed_text, *WINDOW) if i["uid"] == series.uid)
    assert mine == readers


def test_itip_cancel_keeps_the_uid_and_is_read_by_every_reader(app):
    with app.test_request_context("/"):
        event = cancelled_single()
        text = render_itip(event, "CANCEL", "ana@example.org", "Ana").decode()
    assert "METHOD:CANCEL" in text
    instances = all_readers_agree(text, *WINDOW)
    assert [(i["uid"], i["status"]) for i in instances] == [("meeting-9@coord.spheres", "CANCELLED")]
    assert "ATTENDEE" in text and "ORGANIZER" in text
    window_end = event.end + timedelta(days=1)
    assert all_readers_agree(text, event.start - timedelta(days=1), window_end)
