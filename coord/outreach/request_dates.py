"""Dates and times as people say them: "mardi 17 novembre, 13 h 30" (OQLF), "Tuesday, November 17, 1:30 p.m.".

Montréal wall time from aware UTC datetimes; the language is the one being rendered (the reader's page, or
the recipient's e-mail under `force_locale`).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from flask_babel import format_date, get_locale, gettext

from coord.core.clock import clock as shared_clock
from coord.core.localtime import to_local
from coord.i18n import current_language

NBSP = "\u00a0"
DAY_PATTERNS = {"fr": "EEEE d MMMM", "en": "EEEE, MMMM d"}
DAY_YEAR_PATTERNS = {"fr": "EEEE d MMMM yyyy", "en": "EEEE, MMMM d, yyyy"}
DATE_PATTERNS = {"fr": "d MMMM yyyy", "en": "MMMM d, yyyy"}


def language() -> str:
    locale = get_locale()
    found = str(locale.language) if locale is not None else current_language()
    return found if found in DAY_PATTERNS else "fr"


def clock(moment: datetime) -> str:
    """ "13 h 30", "9 h" (non-breaking spaces) in French; "1:30 p.m." in English: the shared formatter."""
    return shared_clock(moment)


def day(moment: datetime, year: bool = False) -> str:
    """ "mardi 17 novembre" / "Tuesday, November 17" (with the year when asked); "1er" in French."""
    patterns = DAY_YEAR_PATTERNS if year else DAY_PATTERNS
    return _first(format_date(to_local(moment).date(), patterns[language()]))


def date_only(value: date) -> str:
    """A calendar date: "7 décembre 2026", "1er février 2027" / "December 7, 2026"."""
    return _first(format_date(value, DATE_PATTERNS[language()]))


def _first(text: str) -> str:
    """The first of the month is "1er" in French (OQLF)."""
    if language() == "fr":
        return re.sub(r"(?<!\d)1 (?=\D)", "1er ", text, count=1)
    return text


def moment(value: datetime, year: bool = False) -> str:
    """ "mardi 17 novembre, 13 h 30" / "Tuesday, November 17, 1:30 p.m."."""
    return f"{day(value, year)}, {clock(value)}"


def span(starts_at: datetime, ends_at: datetime, year: bool = True) -> str:
    """ "mardi 17 novembre 2026, de 13 h 30 à 15 h" / "Tuesday, November 17, 2026, 1:30 p.m. to 3:00 p.m."."""
    if to_local(starts_at).date() != to_local(ends_at).date():
        return f"{moment(starts_at, year)} – {moment(ends_at, year)}"
    start, end = clock(starts_at), clock(ends_at)
    return gettext("%(day)s, from %(start)s to %(end)s", day=day(starts_at, year), start=start, end=end)


def register_filters(state) -> None:
    """Template filters for the requester's pages (called when the blueprint is registered)."""
    filters = state.app.jinja_env.filters
    filters["request_clock"] = clock
    filters["request_day"] = day
    filters["request_moment"] = moment
    filters["request_span"] = span
    filters["request_date"] = date_only
