"""Session dates as people say them: "les 3 et 4 février 2027", "le mardi 3 février 2027, de 9 h 30 à 12 h"
(OQLF); "February 3 and 4, 2027", "Tuesday, February 3, 2027, 9:30 a.m. to 12:00 p.m."."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from flask_babel import format_date, gettext

from coord.core.clock import clock, rendering_language
from coord.core.localtime import to_local


def _day_number(day: date) -> str:
    return "1er" if day.day == 1 and rendering_language() == "fr" else str(day.day)


def _full(day: date, weekday: bool = False) -> str:
    if rendering_language() == "en":
        return format_date(day, "EEEE, MMMM d, yyyy" if weekday else "MMMM d, yyyy")
    text = f"{_day_number(day)} {format_date(day, 'MMMM yyyy')}"
    return f"{format_date(day, 'EEEE')} {text}" if weekday else text


def _and(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return gettext("%(first)s and %(last)s", first=", ".join(items[:-1]), last=items[-1])


def days_of(moments: list[datetime]) -> str:
    """The distinct local days of the parts: "le 3 février 2027", "les 3 et 4 février 2027"."""
    days = sorted({to_local(m).date() for m in moments})
    if not days:
        return ""
    english = rendering_language() == "en"
    same_month = all((d.year, d.month) == (days[0].year, days[0].month) for d in days)
    if same_month and len(days) > 1:
        if english:
            text = f"{format_date(days[0], 'MMMM')} {_and([str(d.day) for d in days])}, {days[0].year}"
        else:
            text = f"{_and([_day_number(d) for d in days])} {format_date(days[0], 'MMMM yyyy')}"
    else:
        text = _and([_full(d) for d in days])
    if english:
        return text
    return f"le {text}" if len(days) == 1 else f"les {text}"


def part_line(starts_at: datetime, ends_at: datetime) -> str:
    """One part: "mardi 3 février 2027, de 9 h 30 à 12 h" / "Tuesday, February 3, 2027, from …"."""
    return gettext(
        "%(day)s, from %(start)s to %(end)s",
        day=_full(to_local(starts_at).date(), weekday=True),
        start=clock(starts_at),
        end=clock(ends_at),
    )


def spoken(moment: datetime | None) -> str:
    """A moment in full: "mercredi 3 février 2027, 14 h 30" / "Wednesday, February 3, 2027, 2:30 p.m."."""
    if moment is None:
        return ""
    return f"{_full(to_local(moment).date(), weekday=True)}, {clock(moment)}"


def closing_day(closes_at: datetime) -> str:
    """The last day registration is open (it closes at midnight at its end): "3 février 2027"."""
    return _full((to_local(closes_at) - timedelta(seconds=1)).date())


def local_year(moment: datetime) -> int:
    return to_local(moment).year


_BEFORE_PUNCTUATION = re.compile(r" ([:;!?»])")


def typeset(text: str) -> str:
    """French text typed with ordinary spaces before : ; ! ? » (the catalogue's seeded titles): non-breaking
    ones, as the OQLF writes them. English is left alone."""
    if not text or rendering_language() != "fr":
        return text
    return _BEFORE_PUNCTUATION.sub("\u00a0\\1", text).replace("« ", "«\u00a0")


def register_filters(state) -> None:
    filters = state.app.jinja_env.filters
    filters["typeset"] = typeset
    filters["training_when"] = spoken
    filters["closing_day"] = closing_day
    filters["localyear"] = local_year
    filters["training_days"] = days_of
    filters["training_part"] = part_line
