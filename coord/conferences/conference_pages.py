"""What the case conference pages show: the conference (its content to the people involved, every read
audited with the participant as subject), the forms' choices, the cancel confirmation, "Mes rencontres de
concertation"."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from coord import audit
from coord.conferences.calendar import invitees as current_invitees
from coord.conferences.lookup import find_conference, find_participant, invitable_people
from coord.conferences.models import CaseConference, ConferenceInvitee
from coord.conferences.permissions import consent_covers
from coord.core.localtime import utcnow
from coord.core.permissions import may, require
from coord.directory.models import Person
from coord.extensions import db
from coord.referrals.models import Participant

MAX_LISTED = 200


@dataclass(frozen=True)
class InviteeRow:
    person: Person
    covered: bool  # consent still covers their organization (else they see nothing)
    organizer: bool = False


@dataclass(frozen=True)
class ConferencePage:
    conference: CaseConference
    invitees: list[InviteeRow]
    can_edit: bool
    candidates: list[Person] = field(default_factory=list)  # people one may still invite (editors)
    participant_ref: str | None = None  # a link to the file, for those who may see it


def conference_page(actor: Person, conference_id: int) -> ConferencePage:
    """The conference, its invitees and what the reader may do; for the people involved, read audited."""
    conference = find_conference(conference_id)
    require(actor, "conferences.view", conference)
    audit.record("conference.read", obj=conference, actor=actor)
    db.session.commit()
    rows = [InviteeRow(conference.organizer, consent_covers(conference.organizer, conference), True)]
    rows += [
        InviteeRow(invitee.person, consent_covers(invitee.person, conference))
        for invitee in sorted(conference.invitees, key=lambda i: (i.person.display_name, i.person_id))
    ]
    can_edit = may(actor, "conferences.edit", conference) and not conference.is_cancelled
    participant = conference.participant
    candidates: list[Person] = []
    if can_edit and participant is not None:
        taken = {row.person.id for row in rows}
        candidates = invitable_people(participant, exclude=taken)
    shown_ref = (
        participant.ref
        if participant is not None and may(actor, "referrals.participants.view", participant)
        else None
    )
    return ConferencePage(conference, rows, can_edit, candidates, shown_ref)


@dataclass(frozen=True)
class ScheduleForm:
    participant: Participant
    candidates: list[Person]


def schedule_form(actor: Person, participant_ref: str) -> ScheduleForm:
    """The form to schedule a conference about this participant: whom one may invite."""
    participant = find_participant(participant_ref)
    require(actor, "conferences.schedule", participant)
    audit.record("conference.schedule_form", obj=participant, actor=actor)
    db.session.commit()
    return ScheduleForm(participant, invitable_people(participant, exclude={actor.id}))


def edit_form(actor: Person, conference_id: int) -> CaseConference:
    """The conference to change, for its editors (the read of its content is audited)."""
    conference = find_conference(conference_id)
    require(actor, "conferences.edit", conference)
    audit.record("conference.read", obj=conference, actor=actor, detail="edit form")
    db.session.commit()
    return conference


@dataclass(frozen=True)
class CancelPage:
    conference: CaseConference
    told: int  # how many people the cancellation goes to (0: nobody was invited)


def cancel_page(actor: Person, conference_id: int) -> CancelPage:
    conference = find_conference(conference_id)
    require(actor, "conferences.edit", conference)
    told = len([p for p in current_invitees(conference) if p.id != actor.id])
    return CancelPage(conference, told)


@dataclass(frozen=True)
class MyConference:
    conference: CaseConference
    organizer: bool


def my_conferences(actor: Person, past: bool = False) -> list[MyConference]:
    """The conferences the actor takes part in and may still see (consent), upcoming or past; each one
    listed (its title shown) is an audited read."""
    require(actor, "conferences.list")
    invited = sa.select(ConferenceInvitee.conference_id).where(ConferenceInvitee.person_id == actor.id)
    now = utcnow()
    query = sa.select(CaseConference).where(
        sa.or_(CaseConference.id.in_(invited), CaseConference.organizer_id == actor.id)
    )
    if past:
        query = query.where(CaseConference.ends_at <= now).order_by(CaseConference.starts_at.desc())
    else:
        query = query.where(CaseConference.ends_at > now).order_by(CaseConference.starts_at)
    rows = [c for c in db.session.scalars(query.limit(MAX_LISTED)) if may(actor, "conferences.view", c)]
    for conference in rows:
        audit.record("conference.list.read", obj=conference, actor=actor)
    db.session.commit()
    return [MyConference(c, c.organizer_id == actor.id) for c in rows]
