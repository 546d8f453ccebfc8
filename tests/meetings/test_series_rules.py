"""Series rules: weekly, every N weeks, monthly on a date, monthly on the Nth (or last) weekday; ends; DST."""

from __future__ import annotations

from datetime import date

import pytest

from coord.core.errors import ServiceError
from coord.core.localtime import LOCAL_TZ
from coord.meetings import rules, series_services
from coord.meetings.models import Frequency, MeetingSeries
from tests.calendar.factories import committee_with_people, local, person


def series(first, frequency, interval=1, until=None, count=None) -> MeetingSeries:
    return MeetingSeries(
        first_start=first,
        duration_minutes=90,
        frequency=frequency,
        repeat_interval=interval,
        until_date=until,
        count=count,
    )


def local_starts(s: MeetingSeries, limit: int = 6) -> list[str]:
    return [f"{start.astimezone(LOCAL_TZ):%Y-%m-%d %H:%M}" for start in rules.all_starts(s)[:limit]]


def test_weekly_every_two_weeks_keeps_local_time_across_november_change():
    s = series(local(2026, 10, 20, 9, 30), Frequency.WEEKLY, interval=2, count=4)
    assert rules.rrule_for(s) == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=4"
    assert local_starts(s) == ["2026-10-20 09:30", "2026-11-03 09:30", "2026-11-17 09:30", "2026-12-01 09:30"]
    utc = [f"{x:%H:%M}" for x in rules.all_starts(s)]
    assert utc == ["13:30", "14:30", "14:30", "14:30"]  # the UTC hour moves, the local one does not


def test_monthly_second_tuesday_across_the_march_change():
    s = series(local(2027, 1, 12, 9, 30), Frequency.MONTHLY_BY_WEEKDAY, until=date(2027, 5, 31))
    assert rules.rrule_for(s).startswith("FREQ=MONTHLY;BYDAY=2TU;UNTIL=20270601T035959Z")
    assert local_starts(s) == [
        "2027-01-12 09:30",
        "2027-02-09 09:30",
        "2027-03-09 09:30",
        "2027-04-13 09:30",
        "2027-05-11 09:30",
    ]


def test_fifth_weekday_becomes_the_last_one():
    s = series(local(2026, 12, 29, 14, 0), Frequency.MONTHLY_BY_WEEKDAY, count=3)  # 5th Tuesday of December
    assert "BYDAY=-1TU" in rules.rrule_for(s)
    assert local_starts(s) == ["2026-12-29 14:00", "2027-01-26 14:00", "2027-02-23 14:00"]


def test_monthly_on_a_date_and_every_other_month():
    s = series(local(2026, 11, 15, 13, 0), Frequency.MONTHLY_BY_DATE, interval=2, count=3)
    assert local_starts(s) == ["2026-11-15 13:00", "2027-01-15 13:00", "2027-03-15 13:00"]


def test_a_series_without_end_has_no_last_start_and_an_ended_one_has():
    assert rules.last_start(series(local(2026, 11, 3, 9, 30), Frequency.WEEKLY)) is None
    ended = series(local(2026, 11, 3, 9, 30), Frequency.WEEKLY, until=date(2026, 11, 24))
    assert f"{rules.last_start(ended).astimezone(LOCAL_TZ):%Y-%m-%d}" == "2026-11-24"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"until_date": date(2026, 10, 1)}, "until_date"),  # before the first meeting: no occurrence
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": -30}, "duration_minutes"),
        ({"interval": 0}, "interval"),
        ({"interval": 13}, "interval"),
        ({"count": 0}, "count"),
        ({"count": 501}, "count"),
        ({"until_date": date(2027, 1, 1), "count": 3}, "count"),
        ({"title": ""}, "title"),
        ({"video_url": "javascript:alert(1)"}, "video_url"),
    ],
)
def test_bad_series_are_refused_with_the_field(app, changes, field):
    committee, coordinator, _ = committee_with_people(app)
    values = {
        "title": "Comité",
        "first_start": local(2026, 11, 3, 9, 30),
        "duration_minutes": 90,
        "frequency": Frequency.WEEKLY,
        "committee_id": committee,
    } | changes
    with app.app_context():
        with pytest.raises(ServiceError) as refused:
            series_services.create_series(person(coordinator), series_services.SeriesData(**values))
        assert refused.value.field == field
        assert MeetingSeries.query.count() == 0
