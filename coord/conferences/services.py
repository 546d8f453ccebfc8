"""Scheduling case conferences: the organizer and the invited intervenants; invitations are redacted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from coord import audit
from coord.calendar.invitations import Method, invite
from coord.calendar.validation import check_place, check_times
from coord.conferences.calendar import conference_event, invitees
from coord.conferences.models import CaseConference, ConferenceInvitee
from coord.core.errors import ServiceError
from coord.core.permissions import require
from coord.directory.models import Person
from coord.extensions import db


@dataclass
class ConferenceData:
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str = ""
    video_url: str = ""
    notes: str = ""


def _people(person_ids: list[int]) -> list[int]:
    wanted = sorted(set(person_ids))
    found = set(db.session.scalars(sa.select(Person.id).where(Person.id.in_(wanted), Person.active)))
    if not wanted or found != set(wanted):
        raise ServiceError(_l("Choose active people to invite."), "invitees")
    return wanted


def get_conference(actor: Person, conference_id: int) -> CaseConference | None:
    conference = db.session.get(CaseConference, conference_id)
    if conference is not None:
        require(actor, "conferences.view", conference)
        audit.record("conference.read", obj=conference, actor=actor)
        db.session.commit()
    return conference


def schedule_conference(actor: Person, data: ConferenceData, person_ids: list[int]) -> CaseConference:
    """Create the conference and invite the people involved (REQUEST, redacted)."""
    require(actor, "conferences.schedule")
    check_place(data.title, data.location, data.video_url)
    check_times(data.starts_at, data.ends_at)
    conference = CaseConference(
        title=data.title.strip(),
        notes=data.notes,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        location=data.location.strip(),
        video_url=data.video_url.strip(),
        organizer_id=actor.id,
    )
    conference.invitees = [ConferenceInvitee(person_id=pid) for pid in _people(person_ids)]
    db.session.add(conference)
    db.session.flush()
    invite(conference_event(conference), invitees(conference), Method.REQUEST)
    audit.record("conference.schedule", obj=conference, actor=actor)
    db.session.commit()
    return conference


def cancel_conference(actor: Person, conference: CaseConference) -> None:
    require(actor, "conferences.edit", conference)
    if conference.is_cancelled:
        return
    conference.status = "cancelled"
    conference.sequence += 1
    db.session.flush()
    invite(conference_event(conference), invitees(conference), Method.CANCEL)
    audit.record("conference.cancel", obj=conference, actor=actor)
    db.session.commit()
