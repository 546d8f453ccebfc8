"""Case conferences are confidential: only the people involved see them."""

from __future__ import annotations

from coord.conferences.models import CaseConference
from coord.core.permissions import rule
from coord.directory.models import Person, Role


def _takes_part(actor: Person, conference: CaseConference) -> bool:
    if conference.organizer_id == actor.id:
        return True
    return any(invitee.person_id == actor.id for invitee in conference.invitees)


@rule("conferences.schedule")
def _schedule_conference(actor: Person, obj: None) -> bool:
    return actor.has_role(Role.COORDINATOR, Role.INTERVENANT)


@rule("conferences.view", guards=CaseConference)
def _view_conference(actor: Person, conference: CaseConference) -> bool:
    """Only the people involved; police or staff membership gives no access by itself."""
    return _takes_part(actor, conference)


@rule("conferences.edit", guards=CaseConference)
def _edit_conference(actor: Person, conference: CaseConference) -> bool:
    return conference.organizer_id == actor.id
