"""What the minutes pages show: the minutes, agenda items, decisions, actions and comments of a meeting,
loaded in a fixed number of queries, with what the reader may do (edit, circulate, approve, correct,
comment). The writes are in `minutes.py`; revisions and comparisons in `minutes_revisions.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm
from werkzeug.exceptions import NotFound

from coord.core.errors import ServiceError
from coord.core.ids import MAX_ID
from coord.core.localtime import LOCAL_TZ, local_today, utcnow
from coord.core.permissions import may, require
from coord.directory.models import Person
from coord.extensions import db
from coord.meetings.calendar import invitees
from coord.meetings.hosts import note_read
from coord.meetings.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesComment,
    MinutesRevision,
    MinutesState,
    Presence,
)

# What pages show (plain values, reusable for print) ------------------------------------------------


@dataclass(frozen=True)
class ItemNotes:
    number: int
    title: str
    notes: str


@dataclass(frozen=True)
class DecisionLine:
    item: str  # "2. Title" or ""
    text: str


@dataclass(frozen=True)
class ActionLine:
    id: int | None
    description: str
    owner: str
    due_date: date | None
    status: str
    done_on: date | None
    item: str
    overdue: bool


@dataclass
class MinutesPage:
    """A meeting's minutes and what goes with them, loaded in a fixed number of queries."""

    meeting: Meeting
    minutes: Minutes | None
    items: list[AgendaItem]
    decisions: list[Decision]
    actions: list[ActionItem]
    comments: list[MinutesComment] = field(default_factory=list)
    latest: MinutesRevision | None = None
    owners: list[Person] = field(default_factory=list)  # for the edit form: invitees and current owners
    # What the reader may do here (computed by read_page)
    can_write: bool = False  # no minutes yet, and the reader may write them
    can_edit: bool = False  # draft or circulated minutes the reader may edit
    can_circulate: bool = False
    can_approve: bool = False
    can_correct: bool = False
    can_comment: bool = False
    can_open_committee_actions: bool = False  # the committee's actions list (members and staff)
    adoption_choices: list[Meeting] = field(default_factory=list)  # meetings that may have adopted them
    attendance: list[AttendanceGroup] = field(default_factory=list)

    @property
    def unanswered_comments(self) -> list[MinutesComment]:
        """Comments made since the latest revision was saved: nobody has acted on them in the text yet."""
        if self.latest is None:
            return list(self.comments)
        return [comment for comment in self.comments if comment.created_at > self.latest.created_at]

    @property
    def locked(self) -> bool:
        """Approved minutes change only through a correction."""
        return self.minutes is not None and self.minutes.state == MinutesState.APPROVED

    @property
    def general(self) -> str:
        return (self.minutes.content or {}).get("general", "") if self.minutes else ""

    def item_notes(self) -> list[ItemNotes]:
        notes = (self.minutes.content or {}).get("items", {}) if self.minutes else {}
        return [
            ItemNotes(number, item.title, notes.get(str(item.id), ""))
            for number, item in enumerate(self.items, start=1)
        ]

    def decision_lines(self) -> list[DecisionLine]:
        labels = _item_labels(self.items)
        return [DecisionLine(labels.get(d.agenda_item_id, ""), d.text) for d in self.decisions]

    def action_lines(self, today: date | None = None) -> list[ActionLine]:
        today = today or local_today()
        labels = _item_labels(self.items)
        return [
            ActionLine(
                id=a.id,
                description=a.description,
                owner=owner_label(a),
                due_date=a.due_date,
                status=a.status,
                done_on=a.done_on,
                item=labels.get(a.agenda_item_id, ""),
                overdue=is_overdue(a, today),
            )
            for a in self.actions
        ]


def meeting_day(meeting: Meeting) -> date:
    return meeting.starts_at.astimezone(LOCAL_TZ).date()


def owner_label(action: ActionItem) -> str:
    return action.owner.display_name if action.owner is not None else action.owner_name


def is_overdue(action: ActionItem, today: date) -> bool:
    return action.status == ActionStatus.OPEN and action.due_date is not None and action.due_date < today


def _item_labels(items: list[AgendaItem]) -> dict[int | None, str]:
    return {item.id: f"{number}. {item.title}" for number, item in enumerate(items, start=1)}


# Loading (shared with the writes) -----------------------------------------------------------------


def find_meeting(meeting_id: int) -> Meeting:
    """The meeting (a 404 when there is none); callers check permission."""
    meeting = db.session.get(Meeting, meeting_id) if 0 < meeting_id <= MAX_ID else None
    if meeting is None:
        raise NotFound()
    return meeting


def minutes_of(meeting_id: int) -> Minutes | None:
    return db.session.scalar(sa.select(Minutes).where(Minutes.meeting_id == meeting_id))


def agenda_items(meeting_id: int) -> list[AgendaItem]:
    return list(
        db.session.scalars(
            sa.select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting_id)
            .order_by(AgendaItem.position, AgendaItem.id)
            .options(orm.lazyload("*"))
        )
    )


def _decisions(meeting_id: int) -> list[Decision]:
    return list(
        db.session.scalars(
            sa.select(Decision)
            .where(Decision.meeting_id == meeting_id)
            .order_by(Decision.position, Decision.id)
        )
    )


def meeting_actions(meeting_id: int) -> list[ActionItem]:
    return list(
        db.session.scalars(
            sa.select(ActionItem)
            .where(ActionItem.meeting_id == meeting_id)
            .order_by(ActionItem.id)
            .options(orm.joinedload(ActionItem.owner))
        ).unique()
    )


@dataclass(frozen=True)
class AttendanceGroup:
    """Who was present, absent or excused, members and guests apart."""

    presence: str
    members: list[Person]
    guests: list[Person]


def attendance_groups(meeting: Meeting) -> list[AttendanceGroup]:
    """The attendance record by presence (present, absent, excused), members first then guests."""
    rows = db.session.scalars(
        sa.select(Attendance)
        .where(Attendance.meeting_id == meeting.id)
        .options(orm.joinedload(Attendance.person))
    ).all()
    groups = []
    for presence in Presence:
        chosen = sorted(
            (row for row in rows if row.presence == presence), key=lambda r: r.person.display_name
        )
        groups.append(
            AttendanceGroup(
                presence,
                [row.person for row in chosen if row.member],
                [row.person for row in chosen if not row.member],
            )
        )
    return groups


def adoption_meetings(meeting: Meeting) -> list[Meeting]:
    """The committee's later meetings already held, not cancelled, newest first: where minutes are adopted."""
    if meeting.committee_id is None or meeting.is_hosted:
        return []
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(
                Meeting.committee_id == meeting.committee_id,
                Meeting.host.is_(None),
                Meeting.status != MeetingStatus.CANCELLED,
                Meeting.starts_at > meeting.starts_at,
                Meeting.starts_at <= utcnow(),
            )
            .options(orm.lazyload(Meeting.guests))
            .order_by(Meeting.starts_at.desc())
            .limit(12)
        )
    )


def _page(meeting: Meeting, minutes: Minutes | None) -> MinutesPage:
    page = MinutesPage(
        meeting, minutes, agenda_items(meeting.id), _decisions(meeting.id), meeting_actions(meeting.id)
    )
    if minutes is not None:
        page.comments = list(
            db.session.scalars(
                sa.select(MinutesComment)
                .where(MinutesComment.minutes_id == minutes.id)
                .order_by(MinutesComment.created_at, MinutesComment.id)
                .options(orm.joinedload(MinutesComment.author))
            ).unique()
        )
        page.latest = db.session.scalar(
            sa.select(MinutesRevision)
            .where(MinutesRevision.minutes_id == minutes.id, MinutesRevision.number == minutes.revision)
            .options(orm.joinedload(MinutesRevision.author))
        )
    return page


# Pages ----------------------------------------------------------------------------------------------


def readable(actor: Person, meeting_id: int) -> tuple[Meeting, Minutes | None]:
    """The meeting and its minutes (None when none were written yet; creates nothing), for a reader.

    An unknown meeting is a 404; a meeting the actor may not see, or draft minutes for a non-editor, a 403.
    """
    meeting = find_meeting(meeting_id)
    require(actor, "meetings.view", meeting)
    minutes = minutes_of(meeting.id)
    if minutes is not None:
        require(actor, "meetings.minutes.read", minutes)
    return meeting, minutes


def readable_minutes(actor: Person, meeting_id: int) -> Minutes:
    """The meeting's minutes, for a reader allowed to read them (a 404 when none were written yet)."""
    _meeting, minutes = readable(actor, meeting_id)
    if minutes is None:
        raise NotFound()
    return minutes


def read_page(actor: Person, meeting_id: int) -> MinutesPage:
    """The minutes page: the minutes, the agenda items, decisions, actions, comments, and what the reader
    may do with them."""
    meeting, minutes = readable(actor, meeting_id)
    note_read(actor, meeting, "minutes")  # a hosted record's host may audit the read
    page = _page(meeting, minutes)
    page.attendance = attendance_groups(meeting)
    page.can_open_committee_actions = meeting.committee is not None and may(
        actor, "meetings.actions.view", meeting.committee
    )
    if minutes is None:
        page.can_write = may(actor, "meetings.minutes.edit", meeting)
        return page
    edits = may(actor, "meetings.minutes.edit", minutes)
    approves = may(actor, "meetings.minutes.approve", minutes)
    page.can_edit = edits and minutes.state != MinutesState.APPROVED
    page.can_circulate = edits and minutes.state == MinutesState.DRAFT
    page.can_approve = approves and minutes.state == MinutesState.CIRCULATED
    page.can_correct = approves and minutes.state == MinutesState.APPROVED
    page.can_comment = may(actor, "meetings.minutes.comment", minutes)
    if page.can_approve:
        page.adoption_choices = adoption_meetings(meeting)
    return page


def edit_page(actor: Person, meeting_id: int) -> MinutesPage:
    """What the edit form needs, once the actor is known to edit this meeting's minutes."""
    meeting = find_meeting(meeting_id)
    require(actor, "meetings.minutes.edit", meeting)
    note_read(actor, meeting, "minutes")  # the form shows the content: a hosted record's host audits it
    page = _page(meeting, minutes_of(meeting.id))
    people = {person.id: person for person in invitees(meeting)}
    for action in page.actions:
        if action.owner is not None:
            people.setdefault(action.owner.id, action.owner)
    page.owners = sorted(people.values(), key=lambda p: (p.display_name.casefold(), p.id))
    return page


def correction_page(actor: Person, meeting_id: int) -> MinutesPage:
    """What the correction form needs: approved minutes, and the actor may correct them (the coordinator)."""
    page = edit_page(actor, meeting_id)
    if page.minutes is None:
        raise NotFound()
    require(actor, "meetings.minutes.approve", page.minutes)
    if page.minutes.state != MinutesState.APPROVED:
        raise ServiceError(_l("Only approved minutes are corrected: edit these ones."))
    return page
