"""Changing a meeting's agenda: add, change, delete, move and reorder its items.

Every change takes the meeting's id (and the item's), checks `meetings.edit` on the meeting (its committee's
editors, or its host's say)
first, validates before it changes anything, renumbers the items 1..n, writes an audit entry and commits
once. What the agenda page shows is in `agenda_page.py`; publication and its e-mail in
`agenda_publication.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import NotFound

from coord import audit
from coord.core.errors import ServiceError
from coord.core.ids import MAX_ID
from coord.core.locks import lock_row
from coord.core.permissions import require
from coord.core.text import check_multi_line, check_single_line
from coord.directory.models import Person
from coord.extensions import db
from coord.meetings.agenda_page import is_cancelled, load_meeting, ordered
from coord.meetings.models import ActionItem, AgendaItem, Decision, ItemKind, Meeting, MinutesState

MAX_ITEMS = 100
MAX_TITLE = 200
MIN_DURATION, MAX_DURATION = 1, 600
MAX_PRESENTER_NAME = 120
MAX_DESCRIPTION = 20_000


@dataclass
class ItemData:
    """What a form gives for one item; `presenter_id` (a person) or `presenter_name` (free text)."""

    title: str
    duration_minutes: int
    kind: str = ItemKind.INFORMATION
    presenter_id: int | None = None
    presenter_name: str = ""
    description: str = ""


def _check_open(meeting: Meeting) -> None:
    """The agenda of a cancelled meeting, or of minutes circulated or approved, no longer changes."""
    if is_cancelled(meeting):
        raise ServiceError(_l("This meeting is cancelled: its agenda can no longer change."))
    minutes = meeting.minutes
    if minutes is not None and minutes.state != MinutesState.DRAFT:
        raise ServiceError(
            _l("The minutes of this meeting are circulated or approved: its agenda can no longer change.")
        )


def editable_meeting(actor: Person, meeting_id: int) -> Meeting:
    """The meeting with its items, once the actor is known to change its agenda now (a 404 when there is
    none, a 403 when the actor may not, a ServiceError when it is cancelled or its minutes moved on)."""
    meeting = load_meeting(meeting_id)
    require(actor, "meetings.edit", meeting)
    _check_open(meeting)
    return meeting


def _editable_item(actor: Person, meeting_id: int, item_id: int) -> AgendaItem | None:
    """One of the meeting's items, as for editable_meeting, read once the meeting is locked (a 404 when the
    meeting has no such item; None when this item was deleted: a second click on "delete")."""
    meeting = load_meeting(meeting_id)
    require(actor, "meetings.edit", meeting)
    meeting = _lock(meeting)
    item = next((item for item in meeting.agenda_items if item.id == item_id), None)
    if item is None:
        if _was_deleted(meeting.id, item_id):
            return None
        raise NotFound()
    _check_open(meeting)
    return item


def _was_deleted(meeting_id: int, item_id: int) -> bool:
    """The audit log says this item of this meeting was deleted (a repeated delete is then no error)."""
    return (
        db.session.scalar(
            sa.select(audit.AuditEntry.id)
            .where(
                audit.AuditEntry.action == "agenda.item.delete",
                audit.AuditEntry.object_id == str(item_id),
                audit.AuditEntry.detail == f"meeting {meeting_id}",
            )
            .limit(1)
        )
        is not None
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


def _lock(meeting: Meeting) -> Meeting:
    """Serialize agenda changes of one meeting (coord.core.locks), then read its items afresh: a second
    click or editor works on what the first one left, not on the copy read before it waited."""
    lock_row(Meeting, meeting.id)
    return load_meeting(meeting.id)


def _check(data: ItemData, current_presenter_id: int | None = None) -> tuple[str, int | None, str]:
    """Validated (title, presenter_id, presenter_name); raises ServiceError naming the field.

    A presenter deactivated since stays on the item they present (the item can still be edited)."""
    check_single_line(data.title, "title")
    check_single_line(data.presenter_name, "presenter_name")
    check_multi_line(data.description, "description")
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
        person = db.session.get(Person, data.presenter_id) if 0 < data.presenter_id <= MAX_ID else None
        kept = person is not None and person.id == current_presenter_id
        if person is None or not (person.active or kept):
            raise ServiceError(_l("Unknown or deactivated person."), "presenter_id")
    return title, data.presenter_id, name


def _renumber(items: list[AgendaItem]) -> None:
    for position, item in enumerate(items, start=1):
        item.position = position


def add_item(actor: Person, meeting_id: int, data: ItemData) -> AgendaItem:
    meeting = editable_meeting(actor, meeting_id)
    title, presenter_id, presenter_name = _check(data)
    meeting = _lock(meeting)
    _check_open(meeting)
    items = ordered(meeting.agenda_items)
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


def update_item(actor: Person, meeting_id: int, item_id: int, data: ItemData) -> AgendaItem:
    item = _editable_item(actor, meeting_id, item_id)
    if item is None:
        raise NotFound()
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


def delete_item(actor: Person, meeting_id: int, item_id: int) -> None:
    item = _editable_item(actor, meeting_id, item_id)
    if item is None:  # deleted by a first click or another editor: done already
        return
    meeting = item.meeting
    _check_no_minutes_content(item)
    audit.record("agenda.item.delete", obj=item, actor=actor, detail=f"meeting {meeting.id}")
    meeting.agenda_items.remove(item)
    _renumber(ordered(meeting.agenda_items))
    db.session.commit()


def move_item(actor: Person, meeting_id: int, item_id: int, direction: str) -> None:
    """Swap the item with the one above ("up") or below ("down"); nothing at either end."""
    item = _editable_item(actor, meeting_id, item_id)
    if item is None:
        raise NotFound()
    meeting = item.meeting
    if direction not in ("up", "down"):
        raise ServiceError(_l("Move an item up or down."), "direction")
    items = ordered(meeting.agenda_items)
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    _renumber(items)
    audit.record("agenda.item.move", obj=item, actor=actor, detail=direction)
    db.session.commit()


def reorder(actor: Person, meeting_id: int, item_ids: list[int]) -> None:
    """Put the items in the given order; the list holds each of the meeting's item ids exactly once."""
    meeting = editable_meeting(actor, meeting_id)
    if len(item_ids) > MAX_ITEMS:
        raise ServiceError(_l("An agenda has at most 100 items."), "item_ids")
    meeting = _lock(meeting)
    _check_open(meeting)
    by_id = {item.id: item for item in meeting.agenda_items}
    if len(item_ids) != len(by_id) or set(item_ids) != set(by_id):
        raise ServiceError(_l("The agenda changed meanwhile: reload the page and try again."), "item_ids")
    _renumber([by_id[item_id] for item_id in item_ids])
    audit.record("agenda.reorder", obj=meeting, actor=actor)
    db.session.commit()
