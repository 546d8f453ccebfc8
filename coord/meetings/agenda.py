"""A meeting's agenda: numbered items with computed times, open actions carried forward, publication.

Every change checks `meetings.edit` on the meeting's committee first, validates before it changes
anything, renumbers the items 1..n, writes an audit entry and commits once. Publishing queues one
e-mail per invitee (template `agenda_published`) in the same transaction; the answer link is made
when the message is sent.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from coord import audit
from coord.calendar.answers import answer_url, occurrence_key
from coord.calendar.urls import absolute_url
from coord.core.errors import ServiceError
from coord.core.localtime import LOCAL_TZ, local_today, utcnow
from coord.core.permissions import require
from coord.directory.models import Committee, Person
from coord.extensions import db
from coord.meetings.calendar import invitees
from coord.meetings.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Decision,
    ItemKind,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesState,
)
from coord.notify.outbox import context_builder, queue_email
from coord.templating import DATETIME_PATTERNS, TIME_PATTERNS

MAX_ITEMS = 100
MAX_TITLE = 200
MIN_DURATION, MAX_DURATION = 1, 600
MAX_PRESENTER_NAME = 120
MAX_DESCRIPTION = 20_000
TEMPLATE = "meetings/agenda_published"


@dataclass
class ItemData:
    """What a form gives for one item; `presenter_id` (a person) or `presenter_name` (free text)."""

    title: str
    duration_minutes: int
    kind: str = ItemKind.INFORMATION
    presenter_id: int | None = None
    presenter_name: str = ""
    description: str = ""


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
    followed: list[FollowedAction] = field(default_factory=list)
    invitees: list[Person] = field(default_factory=list)

    @property
    def rows(self) -> list[TimedItem]:
        return self.timing.rows

    @property
    def meeting_published(self) -> bool:
        """The meeting (or its series) is on calendars: invitees can answer, the agenda can be sent."""
        return _is_published(self.meeting)


def presenter_label(item: AgendaItem) -> str:
    return item.presenter.display_name if item.presenter is not None else item.presenter_name


# Reading --------------------------------------------------------------------------------------------


def _ordered(items) -> list[AgendaItem]:
    return sorted(items, key=lambda item: (item.position, item.id or 0))


def timing(meeting: Meeting) -> AgendaTiming:
    """Numbered rows with start and end from the meeting's start and the durations (no query)."""
    rows: list[TimedItem] = []
    start = meeting.starts_at
    for number, item in enumerate(_ordered(meeting.agenda_items), start=1):
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
        Meeting.committee_id == meeting.committee_id, Meeting.starts_at < meeting.starts_at
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


def _load(meeting_id: int) -> Meeting | None:
    """The meeting with its items and their presenters, in a fixed number of queries."""
    return db.session.scalar(
        sa.select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(LOAD_ITEMS)
        .execution_options(populate_existing=True)
    )


def agenda_for(actor: Person, meeting_id: int) -> Agenda | None:
    """The agenda of a meeting the actor may see (None when there is no such meeting)."""
    meeting = _load(meeting_id)
    if meeting is None:
        return None
    require(actor, "meetings.view", meeting)
    return Agenda(meeting, timing(meeting), followed_actions(meeting), invitees(meeting))


def editable_meeting(actor: Person, meeting_id: int) -> Meeting | None:
    """The meeting, once the actor is known to edit it (None when there is no such meeting)."""
    meeting = _load(meeting_id)
    if meeting is not None:
        require(actor, "meetings.edit", meeting.committee)
    return meeting


def editable_item(actor: Person, meeting_id: int, item_id: int) -> AgendaItem | None:
    """An item of that meeting, once the actor is known to edit it (None when there is none)."""
    meeting = editable_meeting(actor, meeting_id)
    if meeting is None:
        return None
    return next((item for item in meeting.agenda_items if item.id == item_id), None)


# Changing -------------------------------------------------------------------------------------------


def _may_edit(actor: Person, meeting: Meeting) -> None:
    require(actor, "meetings.edit", meeting.committee)
    series = meeting.series
    if meeting.is_cancelled or (series is not None and series.status == MeetingStatus.CANCELLED):
        raise ServiceError(_l("This meeting is cancelled: its agenda can no longer change."))
    minutes = meeting.minutes
    if minutes is not None and minutes.state != MinutesState.DRAFT:
        raise ServiceError(
            _l("The minutes of this meeting are circulated or approved: its agenda can no longer change.")
        )


def _check_no_minutes_content(item: AgendaItem) -> None:
    """An item with notes, decisions or actions in the minutes is not deleted (nothing lost silently)."""
    minutes = item.meeting.minutes
    notes = (minutes.content or {}).get("items", {}).get(str(item.id), "") if minutes is not None else ""
    linked = any(
        db.session.scalar(sa.select(model.id).where(model.agenda_item_id == item.id).limit(1)) is not None
        for model in (Decision, ActionItem)
    )
    if notes.strip() or linked:
        raise ServiceError(
            _l("This item has notes, decisions or actions in the minutes: move or remove them there first.")
        )


def _lock(meeting: Meeting) -> None:
    """Serialize agenda changes of one meeting (PostgreSQL row lock; SQLite writes one at a time)."""
    db.session.execute(sa.select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())


def _check(data: ItemData, current_presenter_id: int | None = None) -> tuple[str, int | None, str]:
    """Validated (title, presenter_id, presenter_name); raises ServiceError naming the field.

    A presenter deactivated since stays on the item they present (the item can still be edited)."""
    title = (data.title or "").strip()
    if not title or len(title) > MAX_TITLE:
        raise ServiceError(_l("Give a title of 1 to 200 characters."), "title")
    duration = data.duration_minutes
    if (
        isinstance(duration, bool)
        or not isinstance(duration, int)
        or not (MIN_DURATION <= duration <= MAX_DURATION)
    ):
        raise ServiceError(_l("A duration is a whole number of minutes from 1 to 600."), "duration_minutes")
    if data.kind not in {kind.value for kind in ItemKind}:
        raise ServiceError(_l("Choose information, discussion or decision."), "kind")
    if len(data.description or "") > MAX_DESCRIPTION:
        raise ServiceError(_l("The description is too long (20,000 characters at most)."), "description")
    name = (data.presenter_name or "").strip()
    if len(name) > MAX_PRESENTER_NAME:
        raise ServiceError(_l("The presenter's name is too long (120 characters at most)."), "presenter_name")
    if data.presenter_id is not None:
        if name:
            raise ServiceError(_l("Choose a person or type a name, not both."), "presenter_name")
        person = db.session.get(Person, data.presenter_id) if 0 < data.presenter_id < 2**31 else None
        kept = person is not None and person.id == current_presenter_id
        if person is None or not (person.active or kept):
            raise ServiceError(_l("Unknown or deactivated person."), "presenter_id")
    return title, data.presenter_id, name


def _renumber(items: list[AgendaItem]) -> None:
    for position, item in enumerate(items, start=1):
        item.position = position


def add_item(actor: Person, meeting: Meeting, data: ItemData) -> AgendaItem:
    _may_edit(actor, meeting)
    title, presenter_id, presenter_name = _check(data)
    _lock(meeting)
    items = _ordered(meeting.agenda_items)
    if len(items) >= MAX_ITEMS:
        raise ServiceError(_l("An agenda has at most 100 items."))
    item = AgendaItem(
        position=len(items) + 1,
        title=title,
        duration_minutes=data.duration_minutes,
        kind=ItemKind(data.kind),
        presenter_id=presenter_id,
        presenter_name=presenter_name,
        description=data.description or "",
    )
    meeting.agenda_items.append(item)
    _renumber([*items, item])
    db.session.flush()
    audit.record("agenda.item.add", obj=item, actor=actor, detail=f"meeting {meeting.id}")
    db.session.commit()
    return item


def update_item(actor: Person, item: AgendaItem, data: ItemData) -> AgendaItem:
    meeting = item.meeting
    _may_edit(actor, meeting)
    title, presenter_id, presenter_name = _check(data, item.presenter_id)
    values = {
        "title": title,
        "duration_minutes": data.duration_minutes,
        "kind": ItemKind(data.kind),
        "presenter_id": presenter_id,
        "presenter_name": presenter_name,
        "description": data.description or "",
    }
    changed = [name for name, value in values.items() if getattr(item, name) != value]
    if not changed:
        return item
    for name in changed:
        setattr(item, name, values[name])
    if "presenter_id" in changed:
        item.presenter = db.session.get(Person, presenter_id) if presenter_id is not None else None
    audit.record("agenda.item.update", obj=item, actor=actor, detail=" ".join(changed))
    db.session.commit()
    return item


def delete_item(actor: Person, item: AgendaItem) -> None:
    meeting = item.meeting
    _may_edit(actor, meeting)
    _lock(meeting)
    _check_no_minutes_content(item)
    audit.record("agenda.item.delete", obj=item, actor=actor, detail=f"meeting {meeting.id}")
    meeting.agenda_items.remove(item)
    _renumber(_ordered(meeting.agenda_items))
    db.session.commit()


def move_item(actor: Person, item: AgendaItem, direction: str) -> None:
    """Swap the item with the one above ("up") or below ("down"); nothing at either end."""
    meeting = item.meeting
    _may_edit(actor, meeting)
    if direction not in ("up", "down"):
        raise ServiceError(_l("Move an item up or down."), "direction")
    _lock(meeting)
    items = _ordered(meeting.agenda_items)
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    _renumber(items)
    audit.record("agenda.item.move", obj=item, actor=actor, detail=direction)
    db.session.commit()


def reorder(actor: Person, meeting: Meeting, item_ids: list[int]) -> None:
    """Put the items in the given order; the list holds each of the meeting's item ids exactly once."""
    _may_edit(actor, meeting)
    if len(item_ids) > MAX_ITEMS:
        raise ServiceError(_l("An agenda has at most 100 items."), "item_ids")
    _lock(meeting)
    by_id = {item.id: item for item in meeting.agenda_items}
    if len(item_ids) != len(by_id) or set(item_ids) != set(by_id):
        raise ServiceError(_l("The agenda changed meanwhile: reload the page and try again."), "item_ids")
    _renumber([by_id[item_id] for item_id in item_ids])
    audit.record("agenda.reorder", obj=meeting, actor=actor)
    db.session.commit()


# Publishing -----------------------------------------------------------------------------------------


def _is_published(meeting: Meeting) -> bool:
    series = meeting.series
    return (series.published_at if series is not None else meeting.published_at) is not None


def _item_values(row: TimedItem) -> dict:
    return {
        "number": row.number,
        "title": row.item.title,
        "kind": str(row.item.kind),
        "presenter": presenter_label(row.item),
        "duration": row.item.duration_minutes,
        "start": row.starts_at.isoformat(),
        "end": row.ends_at.isoformat(),
    }


def publish_agenda(actor: Person, meeting: Meeting) -> int:
    """Publish (or republish) the agenda: one e-mail per invitee; returns the number of e-mails."""
    _may_edit(actor, meeting)
    if not _is_published(meeting):
        raise ServiceError(_l("Publish the meeting first, so that the invitees can answer."))
    if not meeting.agenda_items:
        raise ServiceError(_l("Add at least one item before publishing the agenda."))
    updated = meeting.agenda_published_at is not None
    schedule = timing(meeting)
    context = {
        "meeting_id": meeting.id,
        "uid": meeting.uid,
        "occurrence": occurrence_key(meeting.original_start),
        "committee_id": meeting.committee_id,
        "title": meeting.title,
        "start": meeting.starts_at.isoformat(),
        "end": meeting.ends_at.isoformat(),
        "location": meeting.location,
        "video_url": meeting.video_url,
        "url": absolute_url(f"/meetings/{meeting.id}/agenda"),
        "updated": updated,
        "overrun_minutes": schedule.overrun_minutes,
        "items": [_item_values(row) for row in schedule.rows],
    }
    people = invitees(meeting)
    same_agenda = {key: value for key, value in context.items() if key != "updated"}
    version = hashlib.sha256(json.dumps(same_agenda, sort_keys=True).encode()).hexdigest()[:16]
    sent = 0
    for person in people:  # the same agenda is sent once per person, however often the button is pressed
        sent += (
            queue_email(
                person, TEMPLATE, context=context, dedupe_key=f"agenda:{meeting.id}:{version}:{person.id}"
            )
            is not None
        )
    meeting.agenda_published_at = utcnow()
    audit.record(
        "agenda.republish" if updated else "agenda.publish",
        obj=meeting,
        actor=actor,
        detail=f"{sent} invitees",
    )
    db.session.commit()
    return sent


@context_builder(TEMPLATE)
def _agenda_context(message) -> dict:
    """At send time: real datetimes, the committee's name in the recipient's language, the answer link."""
    context = message.context or {}
    committee = db.session.get(Committee, context["committee_id"]) if context.get("committee_id") else None
    items = [
        {
            **item,
            "start": datetime.fromisoformat(item["start"]),
            "end": datetime.fromisoformat(item["end"]),
        }
        for item in context.get("items", [])
    ]
    language = message.language if message.language in TIME_PATTERNS else "fr"
    return {
        "start": datetime.fromisoformat(context["start"]),
        "end": datetime.fromisoformat(context["end"]),
        "items": items,
        # The recipient's patterns: the sender's own language may differ (in-process delivery).
        "time_pattern": TIME_PATTERNS[language],
        "datetime_pattern": DATETIME_PATTERNS[language],
        "committee_name": committee.name_for(message.language) if committee is not None else "",
        "answer_url": answer_url(context["uid"], message.person_id, context.get("occurrence", "")),
    }
