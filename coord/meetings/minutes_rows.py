"""The rows of the minutes form: what it gives for decisions and actions, their checks, and how a save
applies them (decisions are replaced; actions keep their ids, an emptied or missing one is cancelled, a
done one stays done). Helpers of `minutes.py`: they check and change, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from coord.core.errors import ServiceError
from coord.core.localtime import local_today
from coord.core.text import check_multi_line, check_single_line
from coord.directory.models import Person
from coord.extensions import db
from coord.meetings.minutes_page import meeting_day
from coord.meetings.models import ActionItem, ActionStatus, AgendaItem, Decision, Meeting

MAX_TEXT = 20_000  # general notes, notes of one item, one decision, one action's description
MAX_ROWS = 200  # decisions, and actions, per meeting
MAX_OWNER_NAME = 120
FIRST_DUE_YEAR, LAST_DUE_YEAR = 2000, 2100


@dataclass
class DecisionData:
    text: str
    agenda_item_id: int | None = None
    ref: str = ""  # the form row ("decisions-2") that error messages belong to


@dataclass
class ActionData:
    """One action row; `id` for an existing action (its row keeps its id), None for a new one."""

    description: str
    id: int | None = None
    agenda_item_id: int | None = None
    owner_id: int | None = None
    owner_name: str = ""
    owner_other: bool = False  # "someone else" chosen: then the name is required
    due_date: date | None = None
    status: str = ActionStatus.OPEN
    ref: str = ""  # the form row ("actions-0") that error messages belong to


@dataclass
class ActionChange:
    data: ActionData
    description: str
    owner_name: str
    row: ActionItem | None  # the existing action, None for a new one


def clean_text(value: str | None, limit: int, message, field_name: str, *, single_line: bool = False) -> str:
    """The text trimmed, CRLF as LF; refused (naming the field) when too long or holding control characters
    (line breaks and tabs too when `single_line`)."""
    (check_single_line if single_line else check_multi_line)(value, field_name)
    value = (value or "").replace("\r\n", "\n").strip()
    if len(value) > limit:
        raise ServiceError(message, field_name)
    return value


def _field(ref: str, name: str) -> str:
    return f"{ref}-{name}" if ref else name


def _check_item(item_id: int | None, known: set[int], ref: str) -> int | None:
    if item_id is not None and item_id not in known:
        raise ServiceError(_l("Unknown agenda item: reload the page."), _field(ref, "item"))
    return item_id


def check_decisions(decisions: list[DecisionData], items: list[AgendaItem]) -> list[Decision]:
    """The decisions to keep (empty rows dropped), as new rows not yet added to the session."""
    known = {item.id for item in items}
    rows = []
    for data in decisions or []:
        text = clean_text(
            data.text, MAX_TEXT, _l("A decision is at most 20,000 characters."), _field(data.ref, "text")
        )
        if not text:
            continue
        rows.append(Decision(text=text, agenda_item_id=_check_item(data.agenda_item_id, known, data.ref)))
        if len(rows) > MAX_ROWS:
            raise ServiceError(_l("At most 200 decisions per meeting."), "decisions")
    return rows


def _check_due(due: date | None, ref: str) -> None:
    if due is not None and not FIRST_DUE_YEAR <= due.year <= LAST_DUE_YEAR:
        raise ServiceError(_l("Give a due date between 2000 and 2100."), _field(ref, "due_date"))


def check_actions(
    actions: list[ActionData],
    meeting: Meeting,
    items: list[AgendaItem],
    existing: dict[int, ActionItem],
    owner_ids: set[int],
) -> list[ActionChange]:
    known = {item.id for item in items}
    too_early = local_today() < meeting_day(meeting)
    seen: set[int] = set()
    changes = []
    for data in actions or []:
        ref = data.ref
        description = clean_text(
            data.description,
            MAX_TEXT,
            _l("An action is at most 20,000 characters."),
            _field(ref, "description"),
        )
        row = None
        if data.id is not None:
            row = existing.get(data.id)
            if row is None or data.id in seen:
                raise ServiceError(_l("Unknown action: reload the page."), _field(ref, "description"))
            seen.add(data.id)
        elif not description:
            continue
        owner_name = clean_text(
            data.owner_name,
            MAX_OWNER_NAME,
            _l("The owner's name is too long (120 characters at most)."),
            _field(ref, "owner_name"),
            single_line=True,
        )
        if data.owner_other and data.owner_id is None and not owner_name and description:
            raise ServiceError(_l("Type the name of the person who will do it."), _field(ref, "owner_name"))
        if data.owner_id is not None and data.owner_id not in owner_ids:
            raise ServiceError(_l("Choose the owner among the invitees."), _field(ref, "owner"))
        if data.status not in {status.value for status in ActionStatus}:
            raise ServiceError(_l("Choose open, done or cancelled."), _field(ref, "status"))
        _check_due(data.due_date, ref)
        _check_item(data.agenda_item_id, known, ref)
        newly_done = data.status == ActionStatus.DONE and (row is None or row.status != ActionStatus.DONE)
        if newly_done and description and too_early:
            raise ServiceError(_l("An action cannot be done before its meeting."), _field(ref, "status"))
        changes.append(ActionChange(data, description, "" if data.owner_id else owner_name, row))
    if len([c for c in changes if c.row is None]) + len(existing) > MAX_ROWS:
        raise ServiceError(_l("At most 200 actions per meeting."), "actions")
    return changes


def _set_status(action: ActionItem, status: str, actor: Person) -> None:
    """A status chosen in the form (checked before); actions already done stay done."""
    if action.status == ActionStatus.DONE:
        return
    if status == ActionStatus.DONE:
        action.status, action.done_on, action.closed_by_id = ActionStatus.DONE, local_today(), actor.id
    elif status == ActionStatus.CANCELLED:
        if action.status != ActionStatus.CANCELLED:
            action.status, action.done_on, action.closed_by_id = ActionStatus.CANCELLED, None, actor.id
    else:
        action.status, action.done_on, action.closed_by_id = ActionStatus.OPEN, None, None


def apply_actions(
    actor: Person, meeting: Meeting, changes: list[ActionChange], existing: dict[int, ActionItem]
) -> None:
    mentioned = set()
    for change in changes:
        data, action = change.data, change.row
        if action is None:
            action = ActionItem(meeting_id=meeting.id, committee_id=meeting.committee_id, status="open")
            db.session.add(action)
        else:
            mentioned.add(action.id)
            if not change.description:  # an emptied row: the action is cancelled, its text kept
                _set_status(action, ActionStatus.CANCELLED, actor)
                continue
        action.description = change.description
        action.agenda_item_id = data.agenda_item_id
        action.owner_id = data.owner_id
        action.owner_name = change.owner_name
        action.due_date = data.due_date
        _set_status(action, data.status, actor)
    for action_id, action in existing.items():  # rows missing from the form: cancelled, never deleted
        if action_id not in mentioned:
            _set_status(action, ActionStatus.CANCELLED, actor)
