"""Attendance (present, absent, excused) recorded by the editors, and the committee's quorum."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from werkzeug.exceptions import NotFound

from coord import audit
from coord.core.errors import ServiceError
from coord.core.ids import MAX_ID
from coord.core.localtime import LOCAL_TZ, utcnow
from coord.core.locks import lock_row
from coord.core.permissions import require
from coord.directory.models import Committee, CommitteeMembership, Person
from coord.extensions import db
from coord.meetings.calendar import invitees
from coord.meetings.meeting_services import get_meeting, guest_list
from coord.meetings.models import Attendance, Meeting, Presence


@dataclass(frozen=True)
class Quorum:
    needed: int
    present: int  # committee members marked present (guests do not count)

    @property
    def met(self) -> bool:
        return self.present >= self.needed


def attendance_rows(meeting: Meeting) -> list[Attendance]:
    return list(db.session.scalars(sa.select(Attendance).where(Attendance.meeting_id == meeting.id)))


def _members(meeting: Meeting) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(CommitteeMembership.person_id).where(
                CommitteeMembership.committee_id == meeting.committee_id
            )
        )
    )


def _needed(meeting: Meeting, members: set[int]) -> int:
    return meeting.committee.quorum or (len(members) // 2 + 1)


def quorum(meeting: Meeting, rows: list[Attendance]) -> Quorum | None:
    """The quorum as it stood when attendance was recorded (members then, the committee's quorum then);
    before any attendance, from today's members. None for a meeting without a committee."""
    if meeting.committee_id is None:
        return None
    if meeting.quorum_needed is not None:
        present = sum(1 for row in rows if row.member and row.presence == Presence.PRESENT)
        return Quorum(meeting.quorum_needed, present)
    return Quorum(_needed(meeting, _members(meeting)), 0)


def people_of(meeting: Meeting, rows: list[Attendance]) -> list[Person]:
    """Today's invitees, and whoever attendance was recorded for (former members stay on past meetings)."""
    people = {person.id: person for person in invitees(meeting)}
    missing = {row.person_id for row in rows} - set(people)
    if missing:
        people.update({p.id: p for p in db.session.scalars(sa.select(Person).where(Person.id.in_(missing)))})
    return sorted(people.values(), key=lambda person: person.display_name)


def member_ids(meeting: Meeting, rows: list[Attendance]) -> set[int]:
    """Who counts as a member here: those recorded as members, else today's members (every invitee of a
    meeting without a committee)."""
    if meeting.committee_id is None:
        return {person.id for person in invitees(meeting)} | {row.person_id for row in rows}
    recorded = {row.person_id: row.member for row in rows}
    today = _members(meeting)
    return {pid for pid, member in recorded.items() if member} | (today - set(recorded))


def attendance_open(meeting: Meeting) -> bool:
    """From the meeting's day on (Montréal time): presence is noted at the meeting or after it."""
    today = utcnow().astimezone(LOCAL_TZ).date()
    return meeting.starts_at.astimezone(LOCAL_TZ).date() <= today


def record_attendance(
    actor: Person, meeting_id: int, presence: dict[int, str], also_present: str = ""
) -> None:
    """Record presence for the invitees listed (at the meeting's day or after), and people who came without
    being invited (`also_present`: their addresses, one per line, recorded present as guests); one commit."""
    meeting = get_meeting(actor, meeting_id)
    require(actor, "meetings.edit", meeting)
    meeting = lock_row(Meeting, meeting.id)  # two editors (or clicks) at once: the second updates the rows
    if meeting.is_cancelled:
        raise ServiceError(_l("This meeting is cancelled."))
    if not attendance_open(meeting):
        raise ServiceError(_l("Attendance is recorded on the day of the meeting or after."))
    recorded = {row.person_id: row for row in attendance_rows(meeting)}
    walk_ins = guest_list(None, also_present) or []
    presence = {**presence, **{person_id: Presence.PRESENT.value for person_id in walk_ins}}
    allowed = {person.id for person in invitees(meeting)} | set(recorded) | set(walk_ins)
    unknown = set(presence) - allowed
    if unknown or any(value not in set(Presence) for value in presence.values()):
        raise ServiceError(_l("Choose present, absent or excused for people invited to this meeting."))
    members = _members(meeting) if meeting.committee_id is not None else set()
    for person_id, value in presence.items():
        row = recorded.get(person_id)
        if row is None:
            db.session.add(
                Attendance(
                    meeting_id=meeting.id,
                    person_id=person_id,
                    presence=value,
                    member=person_id in members,
                    recorded_by_id=actor.id,
                )
            )
        elif row.presence != value:
            row.presence, row.recorded_by_id = value, actor.id
    if meeting.committee_id is not None and meeting.quorum_needed is None:
        meeting.quorum_needed = _needed(meeting, members)  # fixed from now on, like the members present
    audit.record("meeting.attendance", obj=meeting, actor=actor, detail=str(len(presence)))
    db.session.commit()


def set_quorum(actor: Person, committee_id: int, value: int | None) -> None:
    """The committee's quorum (members present), or None for a majority of its members."""
    committee = db.session.get(Committee, committee_id) if 0 < committee_id <= MAX_ID else None
    if committee is None:
        raise NotFound()
    require(actor, "directory.committees.manage", committee)
    if value is not None and not 1 <= value <= 200:
        raise ServiceError(_l("The quorum is a number of members from 1 to 200."), "quorum")
    members = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(CommitteeMembership)
        .join(Person, Person.id == CommitteeMembership.person_id)
        .where(CommitteeMembership.committee_id == committee.id, Person.active.is_(True))
    )
    if value is not None and value > members:
        raise ServiceError(
            ngettext(
                "The quorum cannot be more than the committee's %(num)d member.",
                "The quorum cannot be more than the committee's %(num)d members.",
                members,
            ),
            "quorum",
        )
    committee.quorum = value
    audit.record("committee.quorum", obj=committee, actor=actor, detail=str(value or ""))
    db.session.commit()
