"""Finding a conference or a participant by what a URL gives, and the people one may invite (shared by the
page services and the writes; nothing here checks permission or commits)."""

from __future__ import annotations

import sqlalchemy as sa
from werkzeug.exceptions import NotFound

from coord.conferences.models import CaseConference
from coord.core.ids import MAX_ID
from coord.directory.models import Organization, Person
from coord.extensions import db
from coord.referrals.coverage import covered_organizations
from coord.referrals.models import Participant, Purpose

MAX_REF = 24


def find_conference(conference_id: int) -> CaseConference:
    conference = db.session.get(CaseConference, conference_id) if 0 < conference_id <= MAX_ID else None
    if conference is None:
        raise NotFound()
    return conference


def find_participant(participant_ref: str) -> Participant:
    participant = None
    if participant_ref and len(participant_ref) <= MAX_REF:
        participant = db.session.scalar(sa.select(Participant).where(Participant.ref == participant_ref))
    if participant is None:
        raise NotFound()
    return participant


def invitable_people(participant: Participant, exclude: set[int] | frozenset = frozenset()) -> list[Person]:
    """Active people of the organizations an active consent covers for case conferences today (the
    participant's own organization included), by organization and name."""
    organizations = covered_organizations(participant, Purpose.CASE_CONFERENCE)
    if not organizations:
        return []
    people = db.session.scalars(
        sa.select(Person)
        .join(Organization, Organization.id == Person.organization_id)
        .where(Person.organization_id.in_(organizations), Person.active, Organization.active)
        .order_by(Organization.short_name, Person.display_name, Person.id)
    ).all()
    return [person for person in people if person.id not in exclude]
