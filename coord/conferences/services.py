"""Case conferences: their page (every read audited), scheduling and cancelling; invitations are redacted.

Public operations take the acting person and ids or plain data, check permission first and commit once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import NotFound

from coord import audit
from coord.calendar.invitations import Method, invite
from coord.calendar.validation import check_place, check_times
from coord.conferences.calendar import conference_event, invitees
from coord.conferences.models import CaseConference, ConferenceInvitee
from coord.core.errors import ServiceError
from coord.core.ids import MAX_ID
from coord.core.permissions import require
from coord.core.text import check_multi_line
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


def _find(conference_id: int) -> CaseConference:
    conference = db.session.get(CaseConference, conference_id) if 0 < conference_id <= MAX_ID else None
    if conference is None:
        raise NotFound()
    return conference


@dataclass(frozen=True)
class ConferencePage:
    conference: CaseConference
    invitees: list[Person]


def conference_page(actor: Person, conference_id: int) -> ConferencePage:
    """The conference and its invitees, for the people involved; the read is audited."""
    conference = _find(conference_id)
    require(actor, "conferences.view", conference)
    audit.record("conference.read", obj=conference, actor=actor)
    db.session.commit()
    return ConferencePage(conference, invitees(conference))


def schedule_conference(actor: Person, data: ConferenceData, person_ids: list[int]) -> CaseConference:
    """Create the conference and invite the people involved (REQUEST, redacted)."""
    require(actor, "conferences.schedule")
    check_place(data.title, data.location, data.video_url)
    check_multi_line(data.notes, "notes")
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


def cancel_conference(actor: Person, conference_id: int) -> None:
    conference = _find(conference_id)
    require(actor, "conferences.edit", conference)
    if conference.is_cancelled:
        return
    conference.status = "cancelled"
    conference.sequence += 1
    db.session.flush()
    invite(conference_event(conference), invitees(conference), Method.CANCEL)
    audit.record("conference.cancel", obj=conference, actor=actor)
    db.session.commit()
