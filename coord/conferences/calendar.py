"""Case conferences on calendars: always CONFIDENTIAL, so coord.calendar shows only time, place and link.
An invitee whose organization no consent covers any more loses the event at once (feeds, pages, reminders)."""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy import orm

from coord.calendar.changes import track
from coord.calendar.events import CalendarEvent, Status, Visibility
from coord.calendar.sources import PERSON, Scope, Window
from coord.conferences.models import CaseConference, ConferenceInvitee
from coord.conferences.permissions import consent_covers
from coord.directory.models import Person
from coord.extensions import db
from coord.referrals.models import Consent, ConsentOrganization

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


class ConferenceSource:
    def events(self, scope: Scope, window: Window) -> list[CalendarEvent]:
        if scope.kind != PERSON:
            return []
        invited = sa.select(ConferenceInvitee.conference_id).where(ConferenceInvitee.person_id == scope.id)
        rows = db.session.scalars(
            sa.select(CaseConference)
            .where(
                sa.or_(CaseConference.id.in_(invited), CaseConference.organizer_id == scope.id),
                CaseConference.starts_at < window.end,
                CaseConference.ends_at > window.start,
            )
            .order_by(CaseConference.starts_at)
            .options(orm.lazyload("*"))
        ).all()
        person = db.session.get(Person, scope.id) if rows else None
        return [conference_event(c) for c in rows if person is not None and consent_covers(person, c)]

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


SOURCE = ConferenceSource()
track(CaseConference, ConferenceInvitee)
# A consent given, withdrawn or changed adds or removes conferences from invitees' calendars at once.
track(Consent, ConsentOrganization)
