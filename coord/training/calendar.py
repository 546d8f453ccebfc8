"""Trainings on calendars: each part of a session on its trainers' and its registrants' own calendars (so the
free/busy service counts a trainer busy while training), and the public "training" calendar (pages and
/feeds/public/training.ics) of the sessions open to outside organizations.

An event says which module, which part ("partie 1 de 2"), where and the video link; never who registered.
The calendar's day-before reminders leave trainings out (`with_invitees` is empty): the module sends its
own, 2 days before, to registrants (coord.training.reminders).
"""

from __future__ import annotations

import re
from dataclasses import replace

import sqlalchemy as sa
from flask_babel import force_locale, get_locale, gettext

from coord.calendar.changes import track
from coord.calendar.events import CalendarEvent, Status
from coord.calendar.scopes import ScopeType
from coord.calendar.sources import PERSON, Scope, Window
from coord.extensions import db
from coord.i18n import babel_locale
from coord.training.models import (
    Audience,
    Registration,
    RegistrationStatus,
    SessionPart,
    SessionStatus,
    Trainer,
    TrainingModule,
    TrainingSession,
)

TRAINING = "training"  # the event kind and the public scope
_UID = re.compile(r"^training-(\d{1,10})-(\d{1,10})@coord$")
# Registrants whose calendars show the session: a seat held (an offer is not yet a seat).
ON_CALENDAR = (RegistrationStatus.REGISTERED,)


def _language() -> str:
    return str(get_locale() or "fr")[:2]


def part_event(
    session: TrainingSession, part: SessionPart, number: int, url: str | None = None
) -> CalendarEvent:
    """One part of a session as a neutral event, in the current language. `url`: the page it links to (the
    public page by default for open sessions, else the signed-in session page)."""
    total = len(session.parts)
    title = session.module.title(_language())
    if total > 1:
        title = gettext("%(title)s (part %(number)d of %(total)d)", title=title, number=number, total=total)
    description = gettext("SPHÈRES training.")
    if session.notes:
        description += "\n" + session.notes
    return CalendarEvent(
        uid=part.uid,
        kind=TRAINING,
        start=part.starts_at,
        end=part.ends_at,
        title=title,
        url=url or session_path(session),
        last_modified=session.updated_at,
        created=session.created_at,
        location=session.place,
        video_url=session.video_url,
        description=description,
        status=Status.CANCELLED if session.status == SessionStatus.CANCELLED else Status.CONFIRMED,
        sequence=session.sequence,
    )


def session_path(session: TrainingSession) -> str:
    """The page for anyone: the public page of an open session, else the signed-in page."""
    if session.audience == Audience.OPEN:
        return f"/trainings/{session.ref}"
    return signed_in_path(session)


def signed_in_path(session: TrainingSession) -> str:
    """The signed-in session page (registrants, attendance, edit): for people's own calendars and e-mails."""
    return f"/training/sessions/{session.ref}"


def session_events(session: TrainingSession, url: str | None = None) -> list[CalendarEvent]:
    return [part_event(session, part, n, url) for n, part in enumerate(session.parts, 1)]


def events_in(session: TrainingSession, language: str, url: str | None = None) -> list[CalendarEvent]:
    """The session's parts in the given language (for a message's .ics)."""
    with force_locale(babel_locale(language)):
        return session_events(session, url)


def _session_conditions(scope: Scope) -> list | None:
    if scope.kind == TRAINING:
        return [TrainingSession.audience == Audience.OPEN]
    if scope.kind != PERSON:
        return None
    training = sa.select(Trainer.session_id).where(Trainer.person_id == scope.id)
    registered = sa.select(Registration.session_id).where(
        Registration.person_id == scope.id, Registration.status.in_([str(s) for s in ON_CALENDAR])
    )
    return [sa.or_(TrainingSession.id.in_(training), TrainingSession.id.in_(registered))]


class TrainingSource:
    """Session parts for trainers' and registrants' own calendars, and the public training calendar."""

    def events(self, scope: Scope, window: Window) -> list[CalendarEvent]:
        conditions = _session_conditions(scope)
        if conditions is None:
            return []
        in_window = sa.select(SessionPart.session_id).where(
            SessionPart.starts_at < window.end, SessionPart.ends_at > window.start
        )
        query = (
            sa.select(TrainingSession)
            .where(*conditions, TrainingSession.id.in_(in_window))
            .options(sa.orm.selectinload(TrainingSession.parts))
            .order_by(TrainingSession.starts_at)
        )
        found = []
        for session in db.session.scalars(query):
            # Own calendars (trainers, registrants): the signed-in page; the public calendar: the public page.
            url = signed_in_path(session) if scope.kind == PERSON else None
            for event in session_events(session, url):
                if event.start < window.end and event.end > window.start:
                    # The public calendar never gives a video link: registrants find it on their own copy.
                    found.append(replace(event, video_url="") if scope.kind == TRAINING else event)
        return found

    def follows(self, scope: Scope) -> list:
        """Nothing besides the feed's own scope: every change raises the scopes it reaches (below)."""
        return []

    def event(self, uid: str) -> CalendarEvent | None:
        part = self._part(uid)
        if part is None:
            return None
        session = part.session
        return part_event(session, part, session.parts.index(part) + 1)

    def is_invited(self, uid: str, person_id: int) -> bool:
        part = self._part(uid)
        if part is None:
            return False
        session = part.session
        return any(t.id == person_id for t in session.trainers) or any(
            r.person_id == person_id and r.status in ON_CALENDAR for r in session.registrations
        )

    def with_invitees(self, window: Window) -> list:
        return []  # reminders: coord.training.reminders (2 days before)

    @staticmethod
    def _part(uid: str) -> SessionPart | None:
        match = _UID.match(uid or "")
        if not match:
            return None
        part = db.session.get(SessionPart, int(match.group(2)))
        return part if part is not None and part.session_id == int(match.group(1)) else None


def session_scopes(session_id: int | None) -> list[Scope]:
    """The public calendar, the trainers' calendars and the registrants' (with a seat)."""
    if session_id is None:
        return [Scope(TRAINING)]
    people = set(db.session.scalars(sa.select(Trainer.person_id).where(Trainer.session_id == session_id)))
    people |= set(
        db.session.scalars(
            sa.select(Registration.person_id).where(
                Registration.session_id == session_id,
                Registration.person_id.is_not(None),
                Registration.status.in_([str(s) for s in ON_CALENDAR]),
            )
        )
    )
    return [Scope(TRAINING), *(Scope(PERSON, person_id) for person_id in sorted(people))]


def _registration_scopes(registration: Registration) -> list[Scope] | None:
    """A registrant's own calendar (the session appears or goes with the seat); outside people have none."""
    history = sa.inspect(registration).attrs.person_id.history
    ids = (set(history.added) | set(history.unchanged) | set(history.deleted)) - {None}
    if not ids and registration.person_id is not None:
        ids = {registration.person_id}
    return [Scope(PERSON, person_id) for person_id in ids]


def _trainer_scopes(trainer: Trainer) -> list[Scope] | None:
    if trainer.person_id is None:
        return None
    return [Scope(PERSON, trainer.person_id)]


SOURCE = TrainingSource()
# Only the columns events show: a registration's seat bookkeeping (the waiting list's `next_queue_number`)
# touches the session row without reaching any calendar.
EVENT_COLUMNS = (
    "module_id",
    "status",
    "audience",
    "place",
    "video_url",
    "notes",
    "starts_at",
    "ends_at",
    "sequence",
)
track(TrainingSession, columns=EVENT_COLUMNS, scopes=lambda session: session_scopes(session.id), bulk=True)
track(TrainingModule)  # a renamed module (rare): every feed
track(SessionPart, scopes=lambda part: session_scopes(part.session_id))
track(Trainer, scopes=_trainer_scopes)
track(Registration, columns=("status", "person_id"), scopes=_registration_scopes)


def _label(obj, language: str | None) -> str:
    with force_locale(babel_locale(language or _language())):
        return gettext("Trainings open to all organizations")


SCOPE = ScopeType(name=TRAINING, label=_label, public=True, order=20)
