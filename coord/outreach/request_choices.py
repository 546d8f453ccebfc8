"""The words for a request's coded values (milieu, region, audience, format, language, state, history),
shared by the requester's form and pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import pgettext

from coord.outreach.models import (
    REGIONS,
    Audience,
    HistoryKind,
    Milieu,
    RequestState,
    SessionFormat,
)

MILIEUX = {
    Milieu.SCHOOL: _l("School"),
    Milieu.YOUTH_CENTRE: _l("Youth centre (maison des jeunes)"),
    Milieu.HOMELESSNESS: _l("Homelessness resource"),
    Milieu.HOSPITAL: _l("Hospital"),
    Milieu.CLSC: _l("CLSC"),
    Milieu.POLICE: _l("Police unit"),
    Milieu.COMMUNITY: _l("Community organization"),
    Milieu.OTHER: _l("Other"),
}

# Québec's 17 administrative regions, by their official number.
REGION_NAMES = dict(
    zip(
        REGIONS,
        (
            _l("Bas-Saint-Laurent"),
            _l("Saguenay–Lac-Saint-Jean"),
            _l("Capitale-Nationale"),
            _l("Mauricie"),
            _l("Estrie"),
            _l("Montréal"),
            _l("Outaouais"),
            _l("Abitibi-Témiscamingue"),
            _l("Côte-Nord"),
            _l("Nord-du-Québec"),
            _l("Gaspésie–Îles-de-la-Madeleine"),
            _l("Chaudière-Appalaches"),
            _l("Laval"),
            _l("Lanaudière"),
            _l("Laurentides"),
            _l("Montérégie"),
            _l("Centre-du-Québec"),
        ),
        strict=True,
    )
)

AUDIENCES = {
    Audience.YOUTH: _l("Young people"),
    Audience.STAFF: _l("Staff (teachers, workers, managers)"),
    Audience.PARENTS: _l("Parents"),
}

FORMATS = {
    SessionFormat.IN_PERSON: _l("In person, at our place"),
    SessionFormat.VIRTUAL: _l("Virtual (video call)"),
}

LANGUAGES = {"fr": _l("French"), "en": _l("English")}

STATES = {
    RequestState.REQUESTED: _l("Received, awaiting confirmation"),
    RequestState.CONFIRMED: _l("Confirmed"),
    RequestState.DECLINED: _l("Declined"),
    RequestState.HELD: _l("Held"),
    RequestState.CANCELLED: _l("Cancelled"),
}

HISTORY = {
    HistoryKind.REQUESTED: _l("Request received"),
    HistoryKind.CONFIRMED: _l("Session confirmed"),
    HistoryKind.DECLINED: _l("Request declined"),
    HistoryKind.RESCHEDULE_ASKED: _l("Another time asked for"),
    HistoryKind.RESCHEDULED: _l("Session moved"),
    HistoryKind.CANCELLED: _l("Session cancelled"),
    HistoryKind.HELD: _l("Session held"),
}


def region_label(code: str) -> str:
    return str(REGION_NAMES.get(code, code))


def milieu_label(value: str) -> str:
    return str(MILIEUX.get(value, value))


def audience_labels(values) -> list[str]:
    return [str(AUDIENCES[value]) for value in values if value in AUDIENCES]


def format_label(value: str) -> str:
    if value == SessionFormat.IN_PERSON:
        return pgettext("session format", "In person")
    return pgettext("session format", "Virtual")


def state_label(value: str) -> str:
    return str(STATES.get(value, value))


def history_label(value: str) -> str:
    return str(HISTORY.get(value, value))
