"""Case conferences on calendars: always CONFIDENTIAL, so coord.calendar shows only time, place and link.
An invitee whose organization no consent covers any more loses the event at once (feeds, pages, reminders)."""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy import orm

from coord.calendar.changes import scopes_of, track
from coord.calendar.events import CalendarEvent, Status, Visibility
from coord.calendar.sources import PERSON, Scope, Window
from coord.conferences.models import CaseConference, ConferenceInvitee
from coord.conferences.permissions import consent_covers
from coord.directory.models import Person
from coord.extensions import db
from coord.referrals.models import Consent, ConsentOrganization, Participant

CASE_CONFERENCE = "case_conference"  # the event kind (see the manifest)
_UID = re.compile(r"^case-conference-(\d{1,10})@")


def conference_event(conference: CaseConference) -> CalendarEvent:
    return CalendarEvent(
        uid=conference.uid,
        kind=CASE_CONFERENCE,
        start=conference.starts_at,
        end=conference.ends_at,
        title=conference.title,
        description=conference.notes,
        url=f"/conferences/{conference.id}",
        last_modified=conference.updated_at,
        created=conference.created_at,
        location=conference.location,
        video_url=conference.video_url,
        status=Status.CANCELLED if conference.is_cancelled else Status.CONFIRMED,
        sequence=conference.sequence,
        visibility=Visibility.CONFIDENTIAL,
    )


def invitees(conference: CaseConference) -> list[Person]:
    """The organizer and the invitees, active people whose organization consent still covers, each once."""
    people = {i.person.id: i.person for i in conference.invitees}
    people[conference.organizer.id] = conference.organizer
    return sorted(
        (p for p in people.values() if p.active and consent_covers(p, conference)), key=lambda p: p.id
    )


def _taking_part(scope: Scope, window: Window) -> tuple:
    taking_part = sa.union(
        sa.select(ConferenceInvitee.conference_id).where(ConferenceInvitee.person_id == scope.id),
        sa.select(CaseConference.id).where(CaseConference.organizer_id == scope.id),
    )
    return (
        CaseConference.id.in_(taking_part),
        CaseConference.starts_at < window.end,
        CaseConference.ends_at > window.start,
    )


class ConferenceSource:
    def events(self, scope: Scope, window: Window) -> list[CalendarEvent]:
        if scope.kind != PERSON:
            return []
        rows = db.session.scalars(
            sa.select(CaseConference)
            .where(*_taking_part(scope, window))
            .order_by(CaseConference.starts_at)
            .options(orm.lazyload("*"))
        ).all()
        person = db.session.get(Person, scope.id) if rows else None
        return [conference_event(c) for c in rows if person is not None and consent_covers(person, c)]

    def follows(self, scope: Scope) -> list:
        """Nothing besides the person's own scope: a conference raises its organizer's and invitees'
        (tracked below), a consent everyone's taking part in a conference about the participant."""
        return []

    def with_invitees(self, window: Window) -> list[tuple[CalendarEvent, list[Person]]]:
        rows = db.session.scalars(
            sa.select(CaseConference).where(
                CaseConference.starts_at < window.end, CaseConference.ends_at > window.start
            )
        )
        return [(conference_event(c), invitees(c)) for c in rows]

    def event(self, uid: str) -> CalendarEvent | None:
        match = _UID.match(uid)
        conference = db.session.get(CaseConference, int(match.group(1))) if match else None
        return conference_event(conference) if conference else None

    def is_invited(self, uid: str, person_id: int) -> bool:
        match = _UID.match(uid)
        conference = db.session.get(CaseConference, int(match.group(1))) if match else None
        return conference is not None and person_id in {p.id for p in invitees(conference)}


def _people_of(participant_id: int | None) -> list[Scope] | None:
    """The calendars of everyone taking part in a conference about the participant (None: unknown)."""
    if participant_id is None:
        return None
    about = sa.select(CaseConference.id).where(CaseConference.participant_id == participant_id)
    people = db.session.scalars(
        sa.union(
            sa.select(CaseConference.organizer_id).where(CaseConference.participant_id == participant_id),
            sa.select(ConferenceInvitee.person_id).where(ConferenceInvitee.conference_id.in_(about)),
        )
    )
    return [Scope(PERSON, person_id) for person_id in people]


def _consent_participant(consent: Consent | None) -> int | None:
    if consent is None:
        return None
    return consent.participant_id or (consent.participant.id if consent.participant is not None else None)


def _row_participant(row: ConsentOrganization) -> int | None:
    return _consent_participant(
        row.consent if row.consent_id is None else db.session.get(Consent, row.consent_id)
    )


def _conference_scopes(conference: CaseConference) -> list[Scope] | None:
    """The organizer's calendar (before and after the change) and every invitee's."""
    organizers = scopes_of("organizer_id", PERSON)(conference)
    if organizers is None:
        return None
    if conference.id is None:
        return organizers
    invitees = db.session.scalars(
        sa.select(ConferenceInvitee.person_id).where(ConferenceInvitee.conference_id == conference.id)
    )
    return organizers + [Scope(PERSON, person_id) for person_id in invitees]


SOURCE = ConferenceSource()
# The source follows its people's own scopes: a conference reaches its organizer's and invitees' calendars,
# an invitee added or removed that person's.
track(CaseConference, scopes=_conference_scopes)
track(ConferenceInvitee, scopes=scopes_of("person_id", PERSON))
# A consent given, withdrawn or changed adds or removes conferences from invitees' calendars at once; so
# does the organization of the participant or of a person (whom a consent covers).
track(Consent, scopes=lambda consent: _people_of(_consent_participant(consent)))
track(ConsentOrganization, scopes=lambda row: _people_of(_row_participant(row)))
track(
    Participant,
    columns=("organization_id", "anonymized_at"),
    scopes=lambda p: _people_of(p.id) if p.id else [],
)
track(Person, columns=("organization_id",), scopes=lambda p: [Scope(PERSON, p.id)] if p.id else [])
