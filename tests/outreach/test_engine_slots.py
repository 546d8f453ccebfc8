"""Open slots: minimum notice, horizon, buffers, weekly maximum, other commitments, wall-clock times across
the daylight-saving changes (Nov 1 2026, Mar 14 2027), forged and stale slot ids."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from coord.core.localtime import LOCAL_TZ
from coord.extensions import db
from coord.outreach import booking, slots
from coord.outreach.models import OutreachRequest, Presenter
from tests.outreach.factories_engine import local, make_presenter, make_request, set_rules

EVERY_DAY = [(day, "09:00", "12:00") for day in range(7)]


def starts(found) -> list[tuple[str, str]]:
    """(local wall-clock start, UTC start) of each slot."""
    return [
        (f"{s.starts_at.astimezone(LOCAL_TZ):%Y-%m-%d %H:%M}", f"{s.starts_at.astimezone(UTC):%H:%M}")
        for s in found
    ]


def test_slots_stay_at_the_windows_wall_clock_time_across_the_november_change(app):
    presenter = make_presenter(app, windows=[(4, "09:00", "10:30"), (0, "09:00", "10:30")])  # Fri, Mon
    now = local(2026, 10, 20, 8, 0)
    with app.app_context():
        found = [s for s in slots.open_slots([presenter], now=now) if s.starts_at < local(2026, 11, 3)]
    assert starts(found) == [("2026-10-30 09:00", "13:00"), ("2026-11-02 09:00", "14:00")]


def test_slots_stay_at_the_windows_wall_clock_time_across_the_march_change(app):
    presenter = make_presenter(app, windows=[(4, "13:30", "15:00"), (0, "13:30", "15:00")])
    now = local(2027, 3, 1, 8, 0)
    with app.app_context():
        found = [s for s in slots.open_slots([presenter], now=now) if s.starts_at < local(2027, 3, 16)]
    assert starts(found) == [("2027-03-12 13:30", "18:30"), ("2027-03-15 13:30", "17:30")]


def test_a_window_over_the_skipped_hour_gives_no_slot_that_does_not_exist(app):
    presenter = make_presenter(app, windows=[(6, "01:00", "04:00")])  # Sunday night, 14 March 2027
    set_rules(app, session_minutes=30, buffer_minutes=0)
    now = local(2027, 3, 1, 8, 0)
    with app.app_context():
        found = [
            s
            for s in slots.open_slots([presenter], now=now)
            if local(2027, 3, 14) <= s.starts_at < local(2027, 3, 15)
        ]
    for slot in found:
        wall = slot.starts_at.astimezone(LOCAL_TZ)
        assert wall.hour != 2  # 2 h to 3 h does not exist that night
        assert slot.ends_at - slot.starts_at == timedelta(minutes=30)  # real length, not wall-clock


def test_minimum_notice_and_horizon_bound_the_slots(app):
    presenter = make_presenter(app, windows=EVERY_DAY)
    set_rules(app, minimum_notice_days=10, horizon_days=30)
    now = datetime.now(UTC)
    with app.app_context():
        found = slots.open_slots([presenter], now=now)
    assert found
    assert min(s.starts_at for s in found) >= now + timedelta(days=10)
    assert max(s.ends_at for s in found) <= now + timedelta(days=30)


def test_a_held_session_takes_its_slot_and_the_buffer_around_it(app):
    presenter = make_presenter(app, windows=EVERY_DAY)
    set_rules(app, session_minutes=60, buffer_minutes=60)
    with app.app_context():
        found = slots.open_slots([presenter])
        first = next(s for s in found if s.starts_at.astimezone(LOCAL_TZ).hour == 9)
        day = first.starts_at.astimezone(LOCAL_TZ).date()
        on_day = [s for s in found if s.starts_at.astimezone(LOCAL_TZ).date() == day]
        assert starts(on_day)[1][0].endswith("11:00")  # 9 h and 11 h: an hour of buffer between
        request = db.session.get(OutreachRequest, make_request(app))
        booking.assign(request, [db.session.get(Presenter, presenter)], first.starts_at, first.ends_at)
        db.session.commit()
        assert slots.find_slot(first.id) is None
        later = [s for s in slots.open_slots([presenter]) if s.starts_at.astimezone(LOCAL_TZ).date() == day]
        assert later == on_day[1:]  # 11 h stays: one buffer after the session that ends at 10 h


def test_weekly_maximum_closes_the_week(app):
    presenter = make_presenter(app, windows=EVERY_DAY)
    set_rules(app, max_per_week=1, session_minutes=60, buffer_minutes=0)
    with app.app_context():
        first = slots.open_slots([presenter])[0]
        request = db.session.get(OutreachRequest, make_request(app))
        booking.assign(request, [db.session.get(Presenter, presenter)], first.starts_at, first.ends_at)
        db.session.commit()
        week = booking.week_bounds(first.starts_at)
        assert not [s for s in slots.open_slots([presenter]) if week[0] <= s.starts_at < week[1]]


def test_forged_and_stale_slot_ids_find_nothing(app):
    presenter = make_presenter(app, windows=EVERY_DAY)
    with app.app_context():
        good = slots.open_slots([presenter])[0]
        assert slots.find_slot(good.id) == good
        for forged in (
            "",
            "abc",
            f"{presenter}-209913311200",  # not a date
            f"{presenter}-202001010900",  # the past
            f"{presenter + 1}-{good.id.split('-')[1]}",  # another presenter
            f"{presenter}-{good.id.split('-')[1][:-2]}07",  # not a slot start
            "9" * 12 + "-202611171330",
            good.id + "0",
            "1-2026111713301; DROP TABLE x",
        ):
            assert slots.find_slot(forged) is None, forged
