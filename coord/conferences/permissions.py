"""Case conferences are confidential: only the people involved see them, and only under consent.

Taking part (the organizer or an invitee) is required for everything, and for someone of another
organization than the participant's, an active consent must still cover their organization for case
conferences: asked at every read, so a withdrawal or an expiry removes access in the same request.
No role gives access by itself: the coordinator only as an invitee; the researcher and the administrator
never.
"""

from __future__ import annotations

from coord.conferences.models import CaseConference
from coord.core.permissions import may, rule
from coord.directory.models import Person, Role
from coord.referrals.coverage import covers
from coord.referrals.models import Participant, Purpose


def _never(actor: Person) -> bool:
    """The researcher and the administrator never see a conference (whatever their other roles)."""
    return actor.has_role(Role.RESEARCHER, Role.ADMIN)


def takes_part(actor: Person, conference: CaseConference) -> bool:
    if conference.organizer_id == actor.id:
        return True
    return any(invitee.person_id == actor.id for invitee in conference.invitees)


def consent_covers(person: Person, conference: CaseConference) -> bool:
    """The person's organization may receive the conference's content today (the participant's own
    organization always; another one while an active consent names it for case conferences)."""
    participant = conference.participant
    if participant is None:  # a conference about nobody in particular (before participants existed)
        return True
    return covers(participant, Purpose.CASE_CONFERENCE, person.organization_id)


def involved(actor: Person, conference: CaseConference) -> bool:
    return not _never(actor) and takes_part(actor, conference) and consent_covers(actor, conference)


def _holds_file(actor: Person, conference: CaseConference) -> bool:
    participant = conference.participant
    return participant is not None and participant.intervenant_id == actor.id


@rule("conferences.schedule", guards=Participant)
def _schedule_conference(actor: Person, participant: Participant) -> bool:
    """An intervenant·e or the coordinator who may see the participant's file (involvement, not role)."""
    return (
        not _never(actor)
        and actor.has_role(Role.COORDINATOR, Role.INTERVENANT)
        and participant.anonymized_at is None
        and participant.is_active
        and may(actor, "referrals.participants.view", participant)
    )


@rule("conferences.list")
def _list_conferences(actor: Person, obj: None) -> bool:
    """ "Mes rencontres de concertation": one's own conferences (everything else is asked per conference)."""
    return not _never(actor)


@rule("conferences.view", guards=CaseConference)
def _view_conference(actor: Person, conference: CaseConference) -> bool:
    """The people involved, under consent; police or staff membership gives no access by itself."""
    return involved(actor, conference)


@rule("conferences.content", guards=CaseConference)
def _conference_content(actor: Person, conference: CaseConference) -> bool:
    """Title, notes, agenda and minutes: the same people as the page (kept apart for the host's mapping)."""
    return involved(actor, conference)


@rule("conferences.edit", guards=CaseConference)
def _edit_conference(actor: Person, conference: CaseConference) -> bool:
    """Reschedule, cancel, invite; write the agenda and minutes: the organizer, or the participant's
    intervenant·e of reference when taking part."""
    return involved(actor, conference) and (
        conference.organizer_id == actor.id or _holds_file(actor, conference)
    )


@rule("conferences.approve", guards=CaseConference)
def _approve_minutes(actor: Person, conference: CaseConference) -> bool:
    """Approving (and correcting approved) minutes: the organizer."""
    return involved(actor, conference) and conference.organizer_id == actor.id
