"""Words for the values the session pages and e-mails show (states, milieux, formats, audiences, steps)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import pgettext

from coord.core.clock import clock as shared_clock
from coord.outreach import request_dates
from coord.outreach.calendar import AUDIENCE_LABELS
from coord.outreach.request_choices import MILIEUX as REQUEST_MILIEUX
from coord.outreach.request_choices import REGION_NAMES

STATES = {
    "requested": _l("Waiting for confirmation"),
    "confirmed": _l("Confirmed"),
    "declined": _l("Declined"),
    "held": _l("Held"),
    "cancelled": _l("Cancelled"),
}
MILIEUX = REQUEST_MILIEUX
FORMATS = {"in_person": _l("In person"), "virtual": _l("Virtual")}
STEPS = {
    "requested": _l("Requested"),
    "confirmed": _l("Confirmed"),
    "declined": _l("Declined"),
    "reschedule_asked": _l("New time asked by the requester"),
    "rescheduled": _l("Moved"),
    "cancelled": _l("Cancelled"),
    "held": _l("Held, outcome recorded"),
}
CANCELLED_BY = {"requester": _l("by the requester"), "program": _l("by the program")}
REGIONS = REGION_NAMES  # one list of the regions' names for the whole module


def language_name(code: str) -> str:
    return (
        pgettext("language of a session", "French")
        if code == "fr"
        else pgettext("language of a session", "English")
    )


LABELS = {
    "states": STATES,
    "milieux": MILIEUX,
    "formats": FORMATS,
    "audiences": AUDIENCE_LABELS,
    "steps": STEPS,
    "cancelled_by": CANCELLED_BY,
    "regions": REGIONS,
    "language_name": language_name,
}


def spoken_time(moment) -> str:
    """A Montréal time as said in Québec ("9 h 30", "14 h") or in English ("9:30 AM")."""
    return shared_clock(moment)


def spoken_datetime(moment) -> str:
    """ "mardi 17 novembre 2026, 13 h 30" / "Tuesday, November 17, 2026, 1:30 p.m." (Montréal time)."""
    return request_dates.moment(moment, year=True)  # "1er" on the first of the month
