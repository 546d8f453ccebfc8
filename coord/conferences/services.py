"""Case conferences about one participant: schedule, change, cancel, invite and remove people.

Public operations take the acting person and ids or refs, check permission first, validate before they
change anything, audit with the participant as subject, and commit once. Invitees come only from the
organizations an active consent covers for case conferences (a forged form too); each invitee of another
organization is a line in the register of disclosures. Invitations are redacted iTIP (REQUEST / CANCEL):
"Rencontre de concertation", time, place and link, nothing else. What the pages show is in
`conference_pages.py`; the agenda and minutes record in `record.py`.
"""

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
from coord.conferences.lookup import find_conference, find_participant
from coord.conferences.models import CaseConference, ConferenceInvitee
from coord.conferences.record import keep_in_step, open_record
from coord.core.errors import ServiceError
from coord.core.ids import MAX_ID
from coord.core.locks import lock_row
from coord.core.permissions import require
from coord.core.text import check_multi_line
from coord.directory.models import Person
from coord.extensions import db
from coord.referrals.coverage import covered_organizations, covering_consent
from coord.referrals.disclosures import record_disclosure
from coord.referrals.models import DisclosureWhat, Participant, Purpose

MAX_NOTES = 20_000
MAX_INVITEES = 50


@dataclass
class ConferenceData:
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str = ""
    video_url: str = ""
    notes: str = ""


# Helpers (they check or change, never commit) ---------------------------------------------------------


def _check(data: ConferenceData) -> None:
    check_place(data.title, data.location, data.video_url)
    check_multi_line(data.notes, "notes")
    if len(data.notes or "") > MAX_NOTES:
        raise ServiceError(_l("Notes are too long (20,000 characters at most)."), "notes")
    if not (data.location or "").strip() and not (data.video_url or "").strip():
        raise ServiceError(_l("Give a place, a video link, or both."), "location")
    check_times(data.starts_at, data.ends_at)


def _people(participant: Participant, person_ids: list[int], required: bool) -> list[Person]:
    """Active people whose organization an active consent covers for case conferences; anyone else is
    refused with a message, whatever the form held."""
    wanted = sorted(
        {
            pid
            for pid in person_ids
            if isinstance(pid, int) and not isinstance(pid, bool) and 0 < pid <= MAX_ID
        }
    )
    if len(wanted) != len(set(person_ids)) or len(wanted) > MAX_INVITEES:
        raise ServiceError(_l("Choose active people to invite."), "invitees")
    if not wanted:
        if required:
            raise ServiceError(_l("Choose active people to invite."), "invitees")
        return []
    people = db.session.scalars(sa.select(Person).where(Person.id.in_(wanted), Person.active)).all()
    if len(people) != len(wanted):
        raise ServiceError(_l("Choose active people to invite."), "invitees")
    covered = covered_organizations(participant, Purpose.CASE_CONFERENCE)
    outside = sorted(p.display_name for p in people if p.organization_id not in covered)
    if outside:
        raise ServiceError(
            _l(
                "No active consent of the participant covers case conferences with the organization of: "
                "%(names)s. They cannot be invited.",
                names=", ".join(outside),
            ),
            "invitees",
        )
    return list(people)


def disclose_invitees(actor: Person, conference: CaseConference, people: list[Person]) -> None:
    """One line in the register of disclosures per invitee of another organization (its consent)."""
    participant = conference.participant
    if participant is None:
        return
    for person in people:
        if person.organization_id == participant.organization_id:
            continue
        record_disclosure(
            participant,
            what=DisclosureWhat.CONFERENCE,
            purpose=Purpose.CASE_CONFERENCE,
            to_organization_id=person.organization_id,
            consent=covering_consent(participant.id, Purpose.CASE_CONFERENCE, person.organization_id),
            actor=actor,
            obj=conference,
            to_person=person,
        )


def _shown(conference: CaseConference) -> tuple:
    """What invitees' calendars hold: a change of it sends the invitation again."""
    c = conference
    return (c.title, c.starts_at, c.ends_at, c.location, c.video_url)


def _editable(actor: Person, conference_id: int) -> CaseConference:
    conference = find_conference(conference_id)
    require(actor, "conferences.edit", conference)
    conference = _locked(conference)
    if conference.is_cancelled:
        raise ServiceError(_l("This case conference is cancelled."))
    return conference


def _locked(conference: CaseConference) -> CaseConference:
    """Hold the conference's row (a second click or organizer waits) and read its invitees afresh."""
    conference = lock_row(CaseConference, conference.id)
    db.session.expire(conference, ["invitees"])
    return conference


# Public operations -----------------------------------------------------------------------------------


def schedule_conference(
    actor: Person, participant_ref: str, data: ConferenceData, person_ids: list[int]
) -> CaseConference:
    """A conference about the participant, with its agenda-and-minutes record; invitations (REQUEST,
    redacted) to the invitees."""
    participant = find_participant(participant_ref)
    require(actor, "conferences.schedule", participant)
    _check(data)
    people = _people(participant, [pid for pid in person_ids if pid != actor.id], required=True)
    conference = CaseConference(
        title=data.title.strip(),
        notes=data.notes or "",
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        location=data.location.strip(),
        video_url=data.video_url.strip(),
        organizer_id=actor.id,
        participant_id=participant.id,
    )
    conference.participant = participant
    conference.invitees = [ConferenceInvitee(person_id=person.id) for person in people]
    db.session.add(conference)
    open_record(conference, actor.id)
    db.session.flush()
    db.session.expire(conference, ["invitees"])
    disclose_invitees(actor, conference, people)
    invite(conference_event(conference), invitees(conference), Method.REQUEST)
    audit.record("conference.schedule", obj=conference, actor=actor, detail=f"{len(people)} invitees")
    db.session.commit()
    return conference


def update_conference(actor: Person, conference_id: int, data: ConferenceData) -> int:
    """Change the title, time, place, link or notes; a change of time, place or title raises SEQUENCE and
    sends the REQUEST again (redacted). Returns the number of invitations sent."""
    conference = _editable(actor, conference_id)
    _check(data)
    before = _shown(conference)
    conference.title, conference.notes = data.title.strip(), data.notes or ""
    conference.starts_at, conference.ends_at = data.starts_at, data.ends_at
    conference.location, conference.video_url = data.location.strip(), data.video_url.strip()
    keep_in_step(conference)
    count = 0
    if before != _shown(conference):
        conference.sequence += 1
        db.session.flush()
        count = invite(conference_event(conference), invitees(conference), Method.REQUEST)
    audit.record("conference.update", obj=conference, actor=actor, detail="time place" if count else "")
    db.session.commit()
    return count


def cancel_conference(actor: Person, conference_id: int) -> int:
    """Cancel: the record follows, the invitees get a CANCEL (redacted). Returns how many were told."""
    conference = find_conference(conference_id)
    require(actor, "conferences.edit", conference)
    conference = _locked(conference)  # twenty clicks: one CANCEL per invitee
    if conference.is_cancelled:
        return 0
    conference.status = "cancelled"
    conference.sequence += 1
    keep_in_step(conference)
    db.session.flush()
    count = invite(conference_event(conference), invitees(conference), Method.CANCEL)
    audit.record("conference.cancel", obj=conference, actor=actor, detail=f"{count} told")
    db.session.commit()
    return count


def add_invitees(actor: Person, conference_id: int, person_ids: list[int]) -> int:
    """Invite more people (covered organizations only); each gets the REQUEST. Returns how many."""
    conference = _editable(actor, conference_id)
    if conference.participant is None:
        raise ServiceError(_l("This case conference is about no participant: nobody can be added."))
    present = {invitee.person_id for invitee in conference.invitees} | {conference.organizer_id}
    people = [p for p in _people(conference.participant, person_ids, required=True) if p.id not in present]
    for person in people:
        conference.invitees.append(ConferenceInvitee(person_id=person.id))
    db.session.flush()
    disclose_invitees(actor, conference, people)
    count = invite(conference_event(conference), people, Method.REQUEST)
    audit.record("conference.invitees.add", obj=conference, actor=actor, detail=f"{len(people)} people")
    db.session.commit()
    return count


def remove_invitee(actor: Person, conference_id: int, person_id: int) -> None:
    """Remove an invitee (never the organizer); they get a CANCEL (redacted)."""
    conference = _editable(actor, conference_id)
    row = next((invitee for invitee in conference.invitees if invitee.person_id == person_id), None)
    if row is None:
        raise NotFound()
    person = row.person
    conference.invitees.remove(row)
    db.session.flush()
    if person.active:
        invite(conference_event(conference), [person], Method.CANCEL)
    audit.record("conference.invitees.remove", obj=conference, actor=actor, detail=f"person {person.id}")
    db.session.commit()
