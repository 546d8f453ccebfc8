"""A series' repetition in words, in the reader's language: "le 2e mardi du mois, 9 h 30"."""

from __future__ import annotations

from flask_babel import format_date, gettext, ngettext

from coord.core.localtime import LOCAL_TZ
from coord.i18n import current_language
from coord.meetings.models import Frequency, MeetingSeries
from coord.meetings.rules import nth_weekday
from coord.templating import local_time


def ordinal(number: int) -> str:
    """1er, 2e… in French; 1st, 2nd… in English."""
    if current_language() == "fr":
        return "1er" if number == 1 else f"{number}e"
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _repetition(series: MeetingSeries) -> str:
    local = series.first_start.astimezone(LOCAL_TZ)
    weekday = format_date(local.date(), "EEEE")
    every = series.repeat_interval
    frequency = Frequency(series.frequency)
    if frequency == Frequency.WEEKLY:
        if every == 1:
            return gettext("every %(weekday)s", weekday=weekday)
        return ngettext(
            "every %(num)d week on %(weekday)s", "every %(num)d weeks on %(weekday)s", every, weekday=weekday
        )
    if frequency == Frequency.MONTHLY_BY_DATE:
        if every == 1:
            return gettext("on the %(day)s of every month", day=ordinal(local.day))
        return ngettext(
            "on the %(day)s, every %(num)d month",
            "on the %(day)s, every %(num)d months",
            every,
            day=ordinal(local.day),
        )
    nth = nth_weekday(local)
    if nth == -1:
        if every == 1:
            return gettext("the last %(weekday)s of the month", weekday=weekday)
        return ngettext(
            "the last %(weekday)s, every %(num)d month",
            "the last %(weekday)s, every %(num)d months",
            every,
            weekday=weekday,
        )
    if every == 1:
        return gettext("the %(nth)s %(weekday)s of the month", nth=ordinal(nth), weekday=weekday)
    return ngettext(
        "the %(nth)s %(weekday)s, every %(num)d month",
        "the %(nth)s %(weekday)s, every %(num)d months",
        every,
        nth=ordinal(nth),
        weekday=weekday,
    )


def describe(series: MeetingSeries) -> str:
    """The rule, the time, and the end if it has one."""
    text = gettext("%(rule)s, %(time)s", rule=_repetition(series), time=local_time(series.first_start))
    if series.until_date is not None:
        return gettext(
            "%(rule)s, until %(day)s", rule=text, day=format_date(series.until_date, "d MMMM yyyy")
        )
    if series.count is not None:
        return ngettext(
            "%(rule)s, %(num)d meeting in all", "%(rule)s, %(num)d meetings in all", series.count, rule=text
        )
    return text
