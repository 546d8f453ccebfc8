"""What the coordinator's pages call things, in the reader's language: states, milieux, regions, audiences,
formats, weekdays, and times written the Québec way ("13 h 30", "mardi 17 novembre 2026, 9 h")."""

from __future__ import annotations

from datetime import datetime, time

from flask_babel import format_date, get_locale, pgettext
from flask_babel import lazy_gettext as _l

from coord.core.clock import clock as shared_clock
from coord.core.localtime import to_local
from coord.i18n import current_language
from coord.outreach.models import Audience, RequestState, SessionFormat
from coord.outreach.request_choices import MILIEUX as REQUEST_MILIEUX
from coord.outreach.request_choices import REGION_NAMES

STATES = {
    RequestState.REQUESTED: _l("Requested"),
    RequestState.CONFIRMED: _l("Confirmed"),
    RequestState.HELD: _l("Held"),
    RequestState.DECLINED: _l("Declined"),
    RequestState.CANCELLED: _l("Cancelled"),
}
# The list's tabs (the states, as groups of requests).
TAB_LABELS = {
    RequestState.REQUESTED: _l("To answer"),
    RequestState.CONFIRMED: _l("Confirmed sessions"),
    RequestState.HELD: _l("Held sessions"),
    RequestState.DECLINED: _l("Declined requests"),
    RequestState.CANCELLED: _l("Cancelled sessions"),
}
MILIEUX = REQUEST_MILIEUX
AUDIENCES = {Audience.YOUTH: _l("Youth"), Audience.STAFF: _l("Staff"), Audience.PARENTS: _l("Parents")}
FORMATS = {SessionFormat.IN_PERSON: _l("In person"), SessionFormat.VIRTUAL: _l("Virtual")}
REGIONS = REGION_NAMES  # one list of the regions' names for the whole module
WEEKDAYS = (
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
)
LANGUAGES = {"fr": _l("French"), "en": _l("English")}


def region_label(code: str) -> str:
    return f"{code} {REGIONS[code]}" if code in REGIONS else code


def languages_label(value: str) -> str:
    return ", ".join(str(LANGUAGES.get(code, code)) for code in value.split(",") if code)


def _language() -> str:
    locale = get_locale()
    language = str(locale.language) if locale is not None else current_language()
    return "en" if language == "en" else "fr"


def clock(value: time | datetime | None) -> str:
    """A time of day: "13 h 30", "9 h" in French (OQLF); "1:30 p.m." in English (the shared formatter)."""
    return shared_clock(value)


def day(value: datetime | None, year: bool = True) -> str:
    """A day: "mardi 17 novembre 2026"; "Tuesday, November 17, 2026"."""
    if value is None:
        return ""
    local = to_local(value) if isinstance(value, datetime) else value
    if _language() == "fr":
        return format_date(local, "EEEE d MMMM yyyy" if year else "EEEE d MMMM")
    return format_date(local, "EEEE, MMMM d, yyyy" if year else "EEEE, MMMM d")


def when(value: datetime | None, year: bool = True) -> str:
    """A moment: "mardi 17 novembre 2026, 13 h 30"; "Tuesday, November 17, 2026, 1:30 p.m."."""
    if value is None:
        return ""
    return pgettext("day, hour", "%(day)s, %(hour)s", day=day(value, year), hour=clock(value))


def span(starts_at: datetime | None, ends_at: datetime | None, year: bool = True) -> str:
    """A session's time: "mardi 17 novembre 2026, 13 h 30 à 15 h"; "..., 1:30 p.m. to 3:00 p.m."."""
    if starts_at is None:
        return ""
    if ends_at is None:
        return when(starts_at, year)
    return pgettext(
        "day, from hour to hour",
        "%(day)s, %(start)s to %(end)s",
        day=day(starts_at, year),
        start=clock(starts_at),
        end=clock(ends_at),
    )


def hours(starts: time, ends: time) -> str:
    """A window of the day: "9 h à 12 h"; "9:00 a.m. to 12:00 p.m."."""
    return pgettext("from hour to hour", "%(start)s to %(end)s", start=clock(starts), end=clock(ends))


def register(state) -> None:
    """Template filters and labels for the outreach pages (called once when the blueprint is registered)."""
    env = state.app.jinja_env
    env.filters.setdefault("admin_when", when)
    env.filters.setdefault("admin_span", span)
    env.filters.setdefault("admin_day", day)
    env.filters.setdefault("admin_clock", clock)
    env.globals.setdefault(
        "outreach_admin_labels",
        {
            "states": STATES,
            "tabs": TAB_LABELS,
            "milieux": MILIEUX,
            "audiences": AUDIENCES,
            "formats": FORMATS,
            "regions": REGIONS,
            "weekdays": WEEKDAYS,
            "languages": LANGUAGES,
            "region": region_label,
            "language_list": languages_label,
            "hours": hours,
        },
    )
