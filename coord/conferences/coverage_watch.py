"""When a participant's consent is withdrawn or expires, the invitees of their upcoming conferences whose
organization it no longer covers are uninvited and told by a CANCEL (redacted, like every invitation).

Their access already ends at once (the rules ask the consent at every read); this also takes the event out
of their mail client's calendar. A new consent does not invite them back: the organizer does."""

from __future__ import annotations

import sqlalchemy as sa

from coord import audit
from coord.calendar.invitations import Method, invite
from coord.conferences.calendar import conference_event
from coord.conferences.models import CaseConference
from coord.conferences.permissions import consent_covers
from coord.core.localtime import utcnow
from coord.extensions import db
from coord.referrals.consents import on_coverage_lost
from coord.referrals.models import Participant


@on_coverage_lost
def uninvite_uncovered(participant: Participant, actor) -> None:
    """Adds to the caller's transaction (the consent's withdrawal or the expiry sweep), never commits."""
    upcoming = db.session.scalars(
        sa.select(CaseConference).where(
            CaseConference.participant_id == participant.id,
            CaseConference.status != "cancelled",
            CaseConference.ends_at > utcnow(),
        )
    ).all()
    for conference in upcoming:
        lost = [row for row in conference.invitees if not consent_covers(row.person, conference)]
        if not lost:
            continue
        for row in lost:
            conference.invitees.remove(row)
        db.session.flush()
        invite(conference_event(conference), [row.person for row in lost if row.person.active], Method.CANCEL)
        for row in lost:
            audit.record(
                "conference.invitees.remove",
                obj=conference,
                actor=actor,
                detail=f"person {row.person_id}: consent",
            )
