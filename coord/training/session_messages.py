"""E-mails about a session, through the outbox, in each recipient's language, queued in the caller's
transaction: its confirmation (trainers), a change of time or place (REGISTERED people and trainers: iTIP
REQUEST, higher SEQUENCE), its cancellation (iTIP CANCEL; a plain message to people WAITING or OFFERED), and
to a requester whose request became a session.

One .ics attachment per part (coord.training.calendar.events_in); links carry no secret (the outside
registrant's signed link belongs to the registration part's messages)."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import force_locale

from coord.calendar.invitations import Method, itip_attachment
from coord.core.urls import absolute_url
from coord.directory.models import Person
from coord.i18n import babel_locale
from coord.notify.outbox import queue_email
from coord.training.calendar import events_in, session_path, signed_in_path
from coord.training.dates import days_of, part_line, typeset
from coord.training.models import Registration, TrainingRequest, TrainingSession

NOTICE = "training/session_notice"
FROM_REQUEST = "training/session_from_request"


def _summary(session: TrainingSession, language: str, path: str | None = None) -> dict:
    """What the message shows, written in the recipient's language now (dates as words, no secret); `path`:
    the page it links to (the public page of an open session by default)."""
    with force_locale(babel_locale(language)):
        return {
            "session_id": session.id,
            "title": typeset(session.module.title(language)),
            "when": days_of([p.starts_at for p in session.parts]),
            "parts": [part_line(p.starts_at, p.ends_at) for p in session.parts],
            "place": session.place,
            "video_url": session.video_url,
            "url": absolute_url(path or session_path(session)),
        }


def _attachments(
    session: TrainingSession, method: Method | None, address: str, name: str, language: str, path=None
):
    if method is None:
        return []
    events = events_in(session, language, path)
    return [itip_attachment(event, method, address, name, language) for event in events]


def _to_person(session: TrainingSession, person: Person, kind: str, method: Method | None, **extra) -> None:
    if not person.active:
        return
    language = person.preferred_language
    path = signed_in_path(session)  # people with an account: the page with registrants, attendance, edit
    queue_email(
        person,
        NOTICE,
        context={**_summary(session, language, path), "kind": kind, **extra},
        attachments=_attachments(session, method, person.email, person.display_name, language, path),
    )


def _to_registrant(session: TrainingSession, registration: Registration, kind: str, method, **extra) -> None:
    if registration.person is not None:
        _to_person(session, registration.person, kind, method, **extra)
        return
    language = registration.language
    queue_email(
        None,
        NOTICE,
        to_address=registration.email,
        language=language,
        context={**_summary(session, language), "kind": kind, "name": registration.name, **extra},
        attachments=_attachments(session, method, registration.email, registration.name, language),
    )


def session_confirmed(session: TrainingSession) -> None:
    """The trainers: the session is confirmed (.ics REQUEST)."""
    for person in session.trainers:
        _to_person(session, person, "trainer_confirmed", Method.REQUEST)


def session_changed(
    session: TrainingSession,
    trainers: Iterable[Person],
    added: Iterable[Person],
    removed: Iterable[Person],
    registrants: bool,
) -> None:
    """A new time or place: REGISTERED people and `trainers` (REQUEST); trainers added get the invitation,
    trainers taken off a CANCEL."""
    added_ids = {p.id for p in added}
    for person in added:
        _to_person(session, person, "trainer_added", Method.REQUEST)
    for person in trainers:
        if person.id not in added_ids:
            _to_person(session, person, "changed", Method.REQUEST)
    for person in removed:
        if person is not None:
            _to_person(session, person, "trainer_removed", Method.CANCEL)
    if registrants:
        for registration in session.registrations:
            if registration.status == "registered":
                _to_registrant(session, registration, "changed", Method.REQUEST)


def session_cancelled(
    session: TrainingSession,
    seated: Iterable[Registration],
    waiting: Iterable[Registration],
    trainers: Iterable[Person],
) -> None:
    """CANCEL to the people who held a seat and the trainers; a plain message to those waiting or offered."""
    reason = session.cancel_reason
    for registration in seated:
        _to_registrant(session, registration, "cancelled", Method.CANCEL, reason=reason)
    for person in trainers:
        _to_person(session, person, "cancelled", Method.CANCEL, reason=reason)
    for registration in waiting:
        _to_registrant(session, registration, "cancelled_waiting", None, reason=reason)


def request_scheduled(request: TrainingRequest, session: TrainingSession) -> None:
    """The requester: their request became a session (the signed-in page, or the public one if open)."""
    language = request.language
    person = request.requested_by
    if person is not None and person.active:
        url = absolute_url(signed_in_path(session))
        language = person.preferred_language
    elif session.is_open_to_outside:
        url = absolute_url(f"/trainings/{session.ref}")
    else:
        url = ""
    queue_email(
        person if person is not None and person.active else None,
        FROM_REQUEST,
        to_address=request.contact_email if person is None or not person.active else None,
        language=language,
        context={
            **_summary(session, language),
            "url": url,
            "name": request.contact_name,
            "organization": request.organization_name,
        },
    )
