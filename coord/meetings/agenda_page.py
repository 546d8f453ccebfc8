"""What the agenda pages show: numbered items with computed times, the open actions carried forward
("Suivi des actions"), the invitees, and whether the reader may change the agenda.

The item writes are in `agenda.py`; publication and its e-mail in `agenda_publication.py`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import orm
from werkzeug.exceptions import NotFound

from coord.core.ids import MAX_ID
from coord.core.localtime import LOCAL_TZ, local_today
from coord.core.permissions import may, require
from coord.directory.models import Person
from coord.extensions import db
from coord.meetings.calendar import invitees
from coord.meetings.hosts import NOT_HOSTED, note_read
from coord.meetings.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesState,
)


@dataclass(frozen=True)
class TimedItem:
    """One agenda row: its number (1..n), the item, and when it starts and ends (aware UTC)."""

    number: int
    item: AgendaItem
    starts_at: datetime
    ends_at: datetime
    overruns: bool  # ends after the meeting's end

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(LOCAL_TZ)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(LOCAL_TZ)


@dataclass(frozen=True)
class AgendaTiming:
    rows: list[TimedItem]
    total_minutes: int
    meeting_minutes: int
    overrun_minutes: int  # > 0 when the items run past the meeting's end

    @property
    def overruns(self) -> bool:
        return self.overrun_minutes > 0

    @property
    def ends_at(self) -> datetime | None:
        return self.rows[-1].ends_at if self.rows else None


@dataclass(frozen=True)
class FollowedAction:
    """An open action from an earlier meeting of the committee, for "Suivi des actions"."""

    action: ActionItem
    overdue: bool

    @property
    def owner_label(self) -> str:
        owner = self.action.owner
        return owner.display_name if owner is not None else self.action.owner_name


@dataclass
class Agenda:
    """What the agenda page shows."""

    meeting: Meeting
    timing: AgendaTiming
    followed: list[FollowedAction] = field(default_factory=list)  # empty unless can_view_actions
    invitees: list[Person] = field(default_factory=list)
    can_edit: bool = False  # the reader edits this committee's meetings, and the meeting is not cancelled
    can_view_actions: bool = False  # the reader may see the committee's actions (meetings.actions.view)

    @property
    def rows(self) -> list[TimedItem]:
        return self.timing.rows

    @property
    def meeting_published(self) -> bool:
        """The meeting (or its series) is on calendars: invitees can answer, the agenda can be sent. A hosted
        record is never on calendars: its host invites, and its agenda can be sent at any time."""
        return self.meeting.is_published or self.meeting.is_hosted


@dataclass(frozen=True)
class ItemForm:
    """What the add or edit form of an item needs: the meeting, the item (None: a new one), presenters."""

    meeting: Meeting
    item: AgendaItem | None
    presenters: list[Person]  # the invitees (the form adds the current presenter if no longer among them)


def presenter_label(item: AgendaItem) -> str:
    return item.presenter.display_name if item.presenter is not None else item.presenter_name


def is_cancelled(meeting: Meeting) -> bool:
    """The meeting, or the series it belongs to, is cancelled."""
    series = meeting.series
    return meeting.is_cancelled or (series is not None and series.status == MeetingStatus.CANCELLED)


# Reading --------------------------------------------------------------------------------------------


def ordered(items) -> list[AgendaItem]:
    return sorted(items, key=lambda item: (item.position, item.id or 0))


def timing(meeting: Meeting) -> AgendaTiming:
    """Numbered rows with start and end from the meeting's start and the durations (no query)."""
    rows: list[TimedItem] = []
    start = meeting.starts_at
    for number, item in enumerate(ordered(meeting.agenda_items), start=1):
        end = start + timedelta(minutes=item.duration_minutes)
        rows.append(TimedItem(number, item, start, end, end > meeting.ends_at))
        start = end
    total = sum(item.duration_minutes for item in meeting.agenda_items)
    length = (meeting.ends_at - meeting.starts_at).total_seconds()
    over = total * 60 - length
    return AgendaTiming(
        rows=rows,
        total_minutes=total,
        meeting_minutes=int(length // 60),
        overrun_minutes=math.ceil(over / 60) if over > 0 else 0,
    )


def followed_actions(meeting: Meeting, today: date | None = None) -> list[FollowedAction]:
    """The committee's open actions from meetings that started before this one (computed live); actions of
    minutes still in draft are not shown (only editors read drafts)."""
    if meeting.committee_id is None:
        return []
    today = today or local_today()
    earlier = sa.select(Meeting.id).where(
        Meeting.committee_id == meeting.committee_id, NOT_HOSTED, Meeting.starts_at < meeting.starts_at
    )
    actions = db.session.scalars(
        sa.select(ActionItem)
        .where(
            ActionItem.committee_id == meeting.committee_id,
            ActionItem.status == ActionStatus.OPEN,
            ActionItem.meeting_id.in_(earlier),
            ActionItem.meeting_id.not_in(
                sa.select(Minutes.meeting_id).where(Minutes.state == MinutesState.DRAFT)
            ),
        )
        .options(orm.joinedload(ActionItem.owner), orm.joinedload(ActionItem.meeting).lazyload("*"))
        .order_by(ActionItem.due_date.is_(None), ActionItem.due_date, ActionItem.id)
    ).all()
    return [
        FollowedAction(action, action.due_date is not None and action.due_date < today) for action in actions
    ]


# Loader option for pages that show a meeting's items: items and presenters in one more query.
LOAD_ITEMS = orm.selectinload(Meeting.agenda_items).joinedload(AgendaItem.presenter)


def load_meeting(meeting_id: int) -> Meeting:
    """The meeting with its items and their presenters, in a fixed number of queries (a 404 when there is
    none); callers check permission."""
    meeting = None
    if 0 < meeting_id <= MAX_ID:
        meeting = db.session.scalar(
            sa.select(Meeting)
            .where(Meeting.id == meeting_id)
            .options(LOAD_ITEMS)
            .execution_options(populate_existing=True)
        )
    if meeting is None:
        raise NotFound()
    return meeting


def agenda_for(actor: Person, meeting_id: int) -> Agenda:
    """The agenda of a meeting the actor may see (a 404 when there is no such meeting). The committee's
    open actions come only to those who may see the committee's list of actions (`meetings.actions.view`:
    staff and current members), the same rule as /actions/committee/<id>; a guest gets the agenda alone."""
    meeting = load_meeting(meeting_id)
    require(actor, "meetings.view", meeting)
    note_read(actor, meeting, "agenda")  # a hosted record's host may audit the read
    can_edit = may(actor, "meetings.edit", meeting) and not is_cancelled(meeting)
    committee = meeting.committee
    can_view_actions = committee is not None and may(actor, "meetings.actions.view", committee)
    followed = followed_actions(meeting) if can_view_actions else []
    return Agenda(meeting, timing(meeting), followed, invitees(meeting), can_edit, can_view_actions)


def item_form(actor: Person, meeting_id: int, item_id: int | None = None) -> ItemForm:
    """The add form (no item) or the edit form of one of the meeting's items, once the actor is known to
    edit the meeting (a 404 when there is no such meeting or item)."""
    meeting = load_meeting(meeting_id)
    require(actor, "meetings.edit", meeting)
    note_read(actor, meeting, "agenda")  # the form shows the content: a hosted record's host audits it
    item = None
    if item_id is not None:
        item = next((item for item in meeting.agenda_items if item.id == item_id), None)
        if item is None:
            raise NotFound()
    return ItemForm(meeting, item, invitees(meeting))
