"""What a meeting's pages show: the meeting with its invitees, their answers and attendance, the quorum,
and what the reader may do; the meeting form with the committees the reader may choose."""

from __future__ import annotations

from dataclasses import dataclass

from coord.calendar import answers
from coord.core.localtime import utcnow
from coord.core.permissions import may, require
from coord.directory.models import Committee, Person
from coord.meetings import attendance
from coord.meetings.attendance import Quorum
from coord.meetings.listing import editable_committees
from coord.meetings.meeting_services import get_meeting
from coord.meetings.models import Meeting, Presence


@dataclass(frozen=True)
class MeetingPage:
    meeting: Meeting
    invitees: list[tuple[Person, str | None, str | None]]  # (person, answer, presence)
    my_answer: str | None
    invited: bool  # the reader is invited: they may answer
    quorum: Quorum | None
    presences: list[Presence]
    can_edit: bool  # change, publish, record attendance
    started: bool  # attendance is recorded (and the quorum shown) from the meeting's day on
    ended: bool  # over: nothing to answer, nothing to cancel
    can_open_committee: bool = False  # the committee's page (a guest who does not sit on it may not)
    can_open_series: bool = False  # the series' page (a guest of this occurrence alone may not)
    guest_ids: frozenset[int] = frozenset()  # invitees and attendees who are not the committee's members

    @property
    def can_answer(self) -> bool:
        return self.invited and not self.meeting.is_cancelled and not self.ended

    @property
    def can_cancel(self) -> bool:
        return self.can_edit and not self.meeting.is_cancelled and not self.ended


@dataclass(frozen=True)
class MeetingForm:
    """What the meeting form needs: the meeting (None for a new one), the committees the reader may
    choose, and the guests' addresses (one per line)."""

    meeting: Meeting | None
    committees: list[Committee]
    guest_emails: str = ""


def meeting_page(actor: Person, meeting_id: int) -> MeetingPage:
    meeting = get_meeting(actor, meeting_id)
    rows = attendance.attendance_rows(meeting)
    people = attendance.people_of(meeting, rows)
    given = answers.answers_for([meeting.uid])
    occurrence = answers.occurrence_key(meeting.original_start)
    presence = {row.person_id: row.presence for row in rows}
    started = attendance.attendance_open(meeting)
    return MeetingPage(
        meeting=meeting,
        invitees=[(p, given.of(meeting.uid, p.id, occurrence), presence.get(p.id)) for p in people],
        my_answer=given.of(meeting.uid, actor.id, occurrence),
        invited=any(p.id == actor.id for p in people),
        quorum=attendance.quorum(meeting, rows) if started else None,  # no "not met" before it meets
        presences=list(Presence),
        can_edit=may(actor, "meetings.edit", meeting),
        started=started,
        ended=meeting.ends_at <= utcnow(),
        can_open_committee=meeting.committee is not None
        and may(actor, "meetings.calendar", meeting.committee),
        can_open_series=meeting.series is not None and may(actor, "meetings.view", meeting.series),
        guest_ids=frozenset(p.id for p in people) - attendance.member_ids(meeting, rows),
    )


def meeting_form(actor: Person, meeting_id: int | None = None) -> MeetingForm:
    """The form for a new meeting (for those who edit the meetings of a committee, or staff), or to change
    one the actor may edit."""
    committees = editable_committees(actor)
    if meeting_id is None:
        if not committees:
            require(actor, "meetings.edit")
        return MeetingForm(None, committees)
    meeting = get_meeting(actor, meeting_id)
    require(actor, "meetings.edit", meeting.committee)
    guests = "\n".join(guest.person.email for guest in meeting.guests)
    return MeetingForm(meeting, committees, guests)
