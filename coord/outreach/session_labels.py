"""Words for the values the session pages and e-mails show (states, milieux, formats, audiences, steps)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import pgettext

from coord.core.clock import clock as shared_clock
from coord.outreach import request_dates
from coord.outreach.calendar import AUDIENCE_LABELS

STATES = {
    "requested": _l("Waiting for confirmation"),
    "confirmed": _l("Confirmed"),
    "declined": _l("Declined"),
    "held": _l("Held"),
    "cancelled": _l("Cancelled"),
}
MILIEUX = {
    "school": _l("School"),
    "youth_centre": _l("Youth centre (maison des jeunes)"),
    "homelessness": _l("Homelessness resource"),
    "hospital": _l("Hospital"),
    "clsc": _l("CLSC"),
    "police": _l("Police"),
    "community": _l("Community organization"),
    "other": _l("Other"),
}
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
# Québec's administrative regions (official names, the same in French and English).
REGIONS = {
    "01": "Bas-Saint-Laurent",
    "02": "Saguenay–Lac-Saint-Jean",
    "03": "Capitale-Nationale",
    "04": "Mauricie",
    "05": "Estrie",
    "06": "Montréal",
    "07": "Outaouais",
    "08": "Abitibi-Témiscamingue",
    "09": "Côte-Nord",
    "10": "Nord-du-Québec",
    "11": "Gaspésie–Îles-de-la-Madeleine",
    "12": "Chaudière-Appalaches",
    "13": "Laval",
    "14": "Lanaudière",
    "15": "Laurentides",
    "16": "Montérégie",
    "17": "Centre-du-Québec",
}


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
