"""Awareness sessions on calendars: each confirmed or held session on its presenters' own calendars, and
the coordinator's "outreach" calendar (week and month pages, private feed) of every session.

The event says where and for whom ("Sensibilisation — École X", the audiences and the size), never the
contact's name, e-mail or phone. The calendar's day-before reminders leave sessions out
(`with_invitees` is empty): the module sends its own, 7 days and 1 day before, to the contact too
(coord.outreach.reminders).
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import force_locale, get_locale, gettext, lazy_gettext, ngettext

from coord.calendar.changes import track
from coord.calendar.events import CalendarEvent, Status
from coord.calendar.scopes import ScopeType
from coord.calendar.sources import PERSON, Scope, Window
from coord.core.permissions import may
from coord.extensions import db
from coord.i18n import babel_locale
from coord.outreach.models import Assignment, OutreachRequest, Presenter, RequestState, SessionFormat

OUTREACH = "outreach"  # the event kind and the coordinator's scope
_UID = re.compile(r"^outreach-(\d{1,10})@coord$")
SHOWN = (RequestState.CONFIRMED, RequestState.HELD)

AUDIENCE_LABELS = {
    "youth": lazy_gettext("youth"),
    "staff": lazy_gettext("staff"),
    "parents": lazy_gettext("parents"),
}


def session_title(request: OutreachRequest) -> str:
    return gettext("Awareness session — %(organization)s", organization=request.organization_name)


def _description(request: OutreachRequest) -> str:
    audiences = ", ".join(str(AUDIENCE_LABELS.get(a, a)) for a in request.audience_list)
    size = ngettext("about %(num)d person", "about %(num)d people", request.expected_size)
    shown = gettext("Audience: %(audiences)s (%(size)s).", audiences=audiences, size=size)
    if request.format == SessionFormat.VIRTUAL:
        shown += "\n" + gettext("Virtual session.")
    return shown


def session_event(request: OutreachRequest, url: str | None = None) -> CalendarEvent:
    """The session as a neutral event, in the current language; `url` replaces the coordinator's page
    (the contact's copy points to a page without secret)."""
    return CalendarEvent(
        uid=request.uid,
        kind=OUTREACH,
        start=request.starts_at,
        end=request.ends_at,
        title=session_title(request),
        url=url or f"/outreach/requests/{request.ref}",
        last_modified=request.updated_at,
        created=request.created_at,
        location=request.address if request.format == SessionFormat.IN_PERSON else "",
        video_url=request.video_url,
        description=_description(request),
        status=Status.CANCELLED if request.state == RequestState.CANCELLED else Status.CONFIRMED,
        sequence=request.sequence,
    )


def event_in(request: OutreachRequest, language: str, url: str | None = None) -> CalendarEvent:
    with force_locale(babel_locale(language)):
        return session_event(request, url)


def _conditions(scope: Scope, window: Window) -> list | None:
    """What selects a scope's sessions: a presenter's own (PERSON), or all of them (the coordinator's)."""
    shown = [
        OutreachRequest.state.in_([str(s) for s in SHOWN]),
        OutreachRequest.starts_at < window.end,
        OutreachRequest.ends_at > window.start,
    ]
    if scope.kind == OUTREACH:
        return shown
    if scope.kind != PERSON:
        return None
    presenting = (
        sa.select(Assignment.request_id)
        .join(Presenter, Assignment.presenter_id == Presenter.id)
        .where(Presenter.person_id == scope.id, Assignment.active.is_(True))
    )
    return [*shown, OutreachRequest.id.in_(presenting)]


class OutreachSource:
    """Sessions for their presenters' own calendars and for the coordinator's outreach calendar."""

    def events(self, scope: Scope, window: Window) -> list[CalendarEvent]:
        conditions = _conditions(scope, window)
        if conditions is None:
            return []
        query = sa.select(OutreachRequest).where(*conditions).order_by(OutreachRequest.starts_at)
        return [session_event(r) for r in db.session.scalars(query.options(sa.orm.lazyload("*")))]

    def follows(self, scope: Scope) -> list:
        """Nothing besides the feed's own scope: a session raises the coordinator's calendar and its
        presenters' (tracked below, bulk state changes included)."""
        return []

    def event(self, uid: str) -> CalendarEvent | None:
        request = self._request(uid)
        return session_event(request) if request is not None and request.state in SHOWN else None

    def is_invited(self, uid: str, person_id: int) -> bool:
        request = self._request(uid)
        return request is not None and any(p.person_id == person_id for p in request.presenters)

    def with_invitees(self, window: Window) -> list:
        return []  # reminders: coord.outreach.reminders (7 days and 1 day before, the contact too)

    @staticmethod
    def _request(uid: str) -> OutreachRequest | None:
        match = _UID.match(uid or "")
        return db.session.get(OutreachRequest, int(match.group(1))) if match else None


def _request_scopes(request: OutreachRequest) -> list[Scope]:
    """The coordinator's calendar and the calendars of the session's presenters (any assignment)."""
    if request.id is None:
        return [Scope(OUTREACH)]
    people = db.session.scalars(
        sa.select(Presenter.person_id)
        .join(Assignment, Assignment.presenter_id == Presenter.id)
        .where(Assignment.request_id == request.id)
    )
    return [Scope(OUTREACH), *(Scope(PERSON, person_id) for person_id in people)]


def _assignment_scopes(assignment: Assignment) -> list[Scope] | None:
    """The coordinator's calendar and the presenter's (before and after the change)."""
    history = sa.inspect(assignment).attrs.presenter_id.history
    ids = set(history.added) | set(history.unchanged) | set(history.deleted)
    if not ids - {None}:
        presenter = assignment.presenter
        if presenter is None or presenter.person_id is None:
            return None
        return [Scope(OUTREACH), Scope(PERSON, presenter.person_id)]
    people = db.session.scalars(sa.select(Presenter.person_id).where(Presenter.id.in_(ids - {None})))
    return [Scope(OUTREACH), *(Scope(PERSON, person_id) for person_id in people)]


SOURCE = OutreachSource()
# The source follows the feeds' own scopes: a session (its state moved by a bulk UPDATE too) reaches the
# coordinator's calendar and its presenters'; an assignment given or taken off, the presenter's. No other
# feed is invalidated.
track(OutreachRequest, scopes=_request_scopes, bulk=True)
track(Assignment, scopes=_assignment_scopes)


def _label(obj, language: str | None) -> str:
    with force_locale(babel_locale(language or str(get_locale().language))):
        return gettext("Awareness sessions")


SCOPE = ScopeType(
    name=OUTREACH,
    label=_label,
    permission="outreach.manage",
    offered=lambda person: [None] if may(person, "outreach.manage") else [],
    feed_allowed=lambda person, obj: may(person, "outreach.manage"),
    order=30,
)
