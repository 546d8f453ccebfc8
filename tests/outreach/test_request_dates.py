"""Times as people say them, and preferred windows across the clocks' changes (wall time kept)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from flask_babel import force_locale

from coord.core.errors import ServiceError
from coord.outreach import request_dates
from coord.outreach.requests import WindowData, check_windows
from tests.outreach.factories_requests import local


def test_quebec_french_and_english(app):
    with app.test_request_context():
        with force_locale("fr_CA"):
            assert request_dates.clock(local(2026, 11, 17, 13, 30)) == "13\u00a0h\u00a030"
            assert request_dates.clock(local(2026, 11, 17, 9, 0)) == "9\u00a0h"
            assert request_dates.moment(local(2026, 11, 17, 13, 30)) == "mardi 17 novembre, 13\u00a0h\u00a030"
            assert request_dates.day(local(2027, 2, 1, 9, 0)) == "lundi 1er février"
            assert request_dates.date_only(date(2027, 2, 1)) == "1er février 2027"
            assert request_dates.date_only(date(2027, 2, 11)) == "11 février 2027"
            assert (
                request_dates.span(local(2026, 11, 17, 13, 30), local(2026, 11, 17, 15, 0))
                == "mardi 17 novembre 2026, de 13\u00a0h\u00a030 à 15\u00a0h"
            )
        with force_locale("en_CA"):
            assert request_dates.moment(local(2026, 11, 17, 13, 30)) == "Tuesday, November 17, 1:30\u00a0p.m."
            assert request_dates.date_only(date(2027, 2, 1)) == "February 1, 2027"


def _window(app, now, day, start, end):
    with app.test_request_context():
        return check_windows((WindowData(day, start, end),), now)


def test_windows_keep_their_wall_time_across_both_changes(app):
    now = datetime(2026, 10, 1, 12, tzinfo=UTC)
    # Before and after the November 1, 2026 change: 13 h stays 13 h (UTC-4, then UTC-5).
    assert _window(app, now, date(2026, 10, 27), time(13), time(15))[0][0].hour == 17
    assert _window(app, now, date(2026, 11, 3), time(13), time(15))[0][0].hour == 18
    # Before and after the March 14, 2027 change (UTC-5, then UTC-4).
    now = datetime(2027, 2, 1, 12, tzinfo=UTC)
    assert _window(app, now, date(2027, 3, 12), time(13), time(15))[0][0].hour == 18
    assert _window(app, now, date(2027, 3, 16), time(13), time(15))[0][0].hour == 17


def test_a_time_the_clocks_skip_is_refused_with_a_message(app):
    now = datetime(2027, 2, 1, 12, tzinfo=UTC)
    with pytest.raises(ServiceError) as refused:
        _window(app, now, date(2027, 3, 14), time(2, 30), time(4, 30))
    assert refused.value.field == "windows-0-start"
    assert "clocks change" in str(refused.value.message)
