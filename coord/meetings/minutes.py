"""Minutes of committee meetings: notes per agenda item, decisions and actions; draft → circulated → approved.

Every save writes a `MinutesRevision` (who, when, the whole content as saved) and raises `revision`; a save
made on an older revision is refused with `StaleMinutes`, so two editors never overwrite each other
silently. Approved minutes are locked: only a correction (the coordinator's, with a reason) changes them,
as one more revision. Every operation checks permission first, validates before it changes anything,
writes an audit entry and commits once.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound

from coord import audit
from coord.calendar.urls import absolute_url
from coord.core.errors import ServiceError
from coord.core.localtime import LOCAL_TZ, local_today, utcnow
from coord.core.permissions import may, require
from coord.directory.models import Person
from coord.extensions import db
from coord.meetings.calendar import invitees
from coord.meetings.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Decision,
    Meeting,
    Minutes,
    MinutesComment,
    MinutesRevision,
    MinutesState,
)
from coord.notify.outbox import context_builder, queue_email

MAX_TEXT = 20_000  # general notes, notes of one item, one decision, one action's description
MAX_ROWS = 200  # decisions, and actions, per meeting
MAX_REASON = 2_000
MAX_COMMENT = 5_000
MAX_OWNER_NAME = 120
FIRST_DUE_YEAR, LAST_DUE_YEAR = 2000, 2100
MAX_REVISION = 1_000_000
TEMPLATE = "meetings/minutes_circulated"


class StaleMinutes(ServiceError):
    """Someone saved the minutes after revision `base` (the form's); `current` is the latest revision."""

    def __init__(self, base: int, current: int) -> None:
        super().__init__(
            _l("Someone else saved these minutes while you were editing them: your text is not saved yet."),
            "base_revision",
        )
        self.base = base
        self.current = current


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
    due_date: date | None = None
    status: str = ActionStatus.OPEN
    ref: str = ""  # the form row ("actions-0") that error messages belong to


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


# Reading ----------------------------------------------------------------------------------------------


def _meeting(meeting_id: int) -> Meeting:
    meeting = db.session.get(Meeting, meeting_id) if 0 < meeting_id < 2**31 else None
    if meeting is None:
        raise NotFound()
    return meeting


def _minutes_of(meeting_id: int) -> Minutes | None:
    return db.session.scalar(sa.select(Minutes).where(Minutes.meeting_id == meeting_id))


def minutes_for(actor: Person, meeting_id: int) -> Minutes | None:
    """The meeting's minutes if the actor may read them; None when none were written yet (creates nothing).

    An unknown meeting is a 404; a meeting the actor may not see, or draft minutes for a non-editor, a 403.
    """
    meeting = _meeting(meeting_id)
    require(actor, "meetings.view", meeting)
    minutes = _minutes_of(meeting.id)
    if minutes is not None:
        require(actor, "meetings.minutes.read", minutes)
    return minutes


def _agenda(meeting_id: int) -> list[AgendaItem]:
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


def _actions(meeting_id: int) -> list[ActionItem]:
    return list(
        db.session.scalars(
            sa.select(ActionItem)
            .where(ActionItem.meeting_id == meeting_id)
            .order_by(ActionItem.id)
            .options(orm.joinedload(ActionItem.owner))
        ).unique()
    )


def _page(meeting: Meeting, minutes: Minutes | None) -> MinutesPage:
    page = MinutesPage(meeting, minutes, _agenda(meeting.id), _decisions(meeting.id), _actions(meeting.id))
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


def read_page(actor: Person, meeting_id: int) -> MinutesPage:
    """The minutes page (or the print view): the minutes, the agenda items, decisions, actions, comments."""
    minutes = minutes_for(actor, meeting_id)
    return _page(_meeting(meeting_id), minutes)


def edit_page(actor: Person, meeting_id: int) -> MinutesPage:
    """What the edit form needs, once the actor is known to edit this meeting's minutes."""
    meeting = _meeting(meeting_id)
    require(actor, "meetings.minutes.edit", meeting)
    page = _page(meeting, _minutes_of(meeting.id))
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


# Saving -------------------------------------------------------------------------------------------------


def _text(value: str | None, limit: int, message, field_name: str) -> str:
    value = (value or "").replace("\r\n", "\n").strip()
    if len(value) > limit:
        raise ServiceError(message, field_name)
    return value


def _field(ref: str, name: str) -> str:
    return f"{ref}-{name}" if ref else name


def _check_base(base_revision: int, current: int) -> None:
    if isinstance(base_revision, bool) or not isinstance(base_revision, int):
        raise ServiceError(_l("Reload the page: the form's revision number is missing."), "base_revision")
    if base_revision < 0 or base_revision > current:
        raise ServiceError(_l("Unknown revision: reload the page and try again."), "base_revision")
    if base_revision != current:
        raise StaleMinutes(base_revision, current)


def _check_notes(general: str, item_notes: dict[int, str], items: list[AgendaItem]) -> dict:
    too_long = _l("Notes are too long (20,000 characters at most).")
    known = {item.id for item in items}
    notes = {}
    for item_id, text in (item_notes or {}).items():
        if item_id not in known:
            raise ServiceError(_l("Unknown agenda item: reload the page."), "general")
        cleaned = _text(text, MAX_TEXT, too_long, f"item_{item_id}")
        if cleaned:
            notes[str(item_id)] = cleaned
    return {"general": _text(general, MAX_TEXT, too_long, "general"), "items": notes}


def _check_item(item_id: int | None, known: set[int], ref: str) -> int | None:
    if item_id is not None and item_id not in known:
        raise ServiceError(_l("Unknown agenda item: reload the page."), _field(ref, "item"))
    return item_id


def _check_decisions(decisions: list[DecisionData], items: list[AgendaItem]) -> list[Decision]:
    known = {item.id for item in items}
    rows = []
    for data in decisions or []:
        text = _text(
            data.text, MAX_TEXT, _l("A decision is at most 20,000 characters."), _field(data.ref, "text")
        )
        if not text:
            continue
        rows.append(Decision(text=text, agenda_item_id=_check_item(data.agenda_item_id, known, data.ref)))
        if len(rows) > MAX_ROWS:
            raise ServiceError(_l("At most 200 decisions per meeting."), "decisions")
    return rows


@dataclass
class _ActionChange:
    data: ActionData
    description: str
    owner_name: str
    row: ActionItem | None  # the existing action, None for a new one


def _check_due(due: date | None, ref: str) -> None:
    if due is not None and not FIRST_DUE_YEAR <= due.year <= LAST_DUE_YEAR:
        raise ServiceError(_l("Give a due date between 2000 and 2100."), _field(ref, "due_date"))


def _check_actions(
    actions: list[ActionData],
    meeting: Meeting,
    items: list[AgendaItem],
    existing: dict[int, ActionItem],
    owner_ids: set[int],
) -> list[_ActionChange]:
    known = {item.id for item in items}
    too_early = local_today() < meeting_day(meeting)
    seen: set[int] = set()
    changes = []
    for data in actions or []:
        ref = data.ref
        description = _text(
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
        owner_name = _text(
            data.owner_name,
            MAX_OWNER_NAME,
            _l("The owner's name is too long (120 characters at most)."),
            _field(ref, "owner_name"),
        )
        if data.owner_id is not None and data.owner_id not in owner_ids:
            raise ServiceError(_l("Choose the owner among the invitees."), _field(ref, "owner"))
        if data.status not in {status.value for status in ActionStatus}:
            raise ServiceError(_l("Choose open, done or cancelled."), _field(ref, "status"))
        _check_due(data.due_date, ref)
        _check_item(data.agenda_item_id, known, ref)
        newly_done = data.status == ActionStatus.DONE and (row is None or row.status != ActionStatus.DONE)
        if newly_done and description and too_early:
            raise ServiceError(_l("An action cannot be done before its meeting."), _field(ref, "status"))
        changes.append(_ActionChange(data, description, "" if data.owner_id else owner_name, row))
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


def _apply_actions(
    actor: Person, meeting: Meeting, changes: list[_ActionChange], existing: dict[int, ActionItem]
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


def _snapshot(minutes: Minutes, items: list[AgendaItem], decisions: list[Decision], names: dict) -> dict:
    actions = db.session.scalars(
        sa.select(ActionItem).where(ActionItem.meeting_id == minutes.meeting_id).order_by(ActionItem.id)
    ).all()
    return {
        "content": dict(minutes.content),
        "agenda": [{"id": item.id, "title": item.title} for item in items],
        "decisions": [{"item": d.agenda_item_id, "text": d.text} for d in decisions],
        "actions": [
            {
                "id": a.id,
                "item": a.agenda_item_id,
                "description": a.description,
                "owner": names.get(a.owner_id, "") if a.owner_id else a.owner_name,
                "due_date": a.due_date.isoformat() if a.due_date else None,
                "status": a.status,
                "done_on": a.done_on.isoformat() if a.done_on else None,
            }
            for a in actions
        ],
    }


def _write(
    actor: Person,
    meeting: Meeting,
    minutes: Minutes | None,
    base_revision: int,
    general: str,
    item_notes: dict[int, str],
    decisions: list[DecisionData],
    actions: list[ActionData],
    reason: str = "",
) -> Minutes:
    current = minutes.revision if minutes is not None else 0
    _check_base(base_revision, current)
    items = _agenda(meeting.id)
    content = _check_notes(general, item_notes, items)
    new_decisions = _check_decisions(decisions, items)
    existing = {action.id: action for action in _actions(meeting.id)}
    people = {person.id: person.display_name for person in invitees(meeting)}
    people.update({a.owner_id: a.owner.display_name for a in existing.values() if a.owner is not None})
    changes = _check_actions(actions, meeting, items, existing, set(people))

    if minutes is None:
        minutes = Minutes(meeting_id=meeting.id, state=MinutesState.DRAFT, revision=0)
        db.session.add(minutes)
    minutes.content = content  # a new dict: in-place changes of JSON columns are not tracked
    minutes.revision = current + 1
    db.session.execute(sa.delete(Decision).where(Decision.meeting_id == meeting.id))
    for position, decision in enumerate(new_decisions, start=1):
        decision.meeting_id, decision.position = meeting.id, position
        db.session.add(decision)
    _apply_actions(actor, meeting, changes, existing)
    try:
        db.session.flush()  # a concurrent first save of the same minutes fails here (unique meeting)
        db.session.add(
            MinutesRevision(
                minutes_id=minutes.id,
                number=minutes.revision,
                state=minutes.state,
                author_id=actor.id,
                reason=reason,
                snapshot=_snapshot(minutes, items, new_decisions, people),
            )
        )
        action = "minutes.correct" if reason else "minutes.save"
        audit.record(action, obj=minutes, actor=actor, detail=f"revision {minutes.revision}")
        db.session.commit()
    except IntegrityError:  # another save took the same revision number (or created the minutes) meanwhile
        db.session.rollback()
        latest = _minutes_of(meeting.id)
        raise StaleMinutes(base_revision, latest.revision if latest else 0) from None
    return minutes


def save_minutes(
    actor: Person,
    meeting: Meeting,
    base_revision: int,
    general: str,
    item_notes: dict[int, str],
    decisions: list[DecisionData],
    actions: list[ActionData],
) -> Minutes:
    """Save the minutes as revision `base_revision + 1` (creating them at the first save).

    Decisions are replaced by the list; actions keep their ids (rows carry them), an emptied or missing
    action is cancelled, a done one stays done. Refused on an older revision (StaleMinutes) and once
    the minutes are approved (see correct_minutes).
    """
    require(actor, "meetings.minutes.edit", meeting)
    minutes = _minutes_of(meeting.id)
    if minutes is not None and minutes.state == MinutesState.APPROVED:
        raise ServiceError(_l("Approved minutes are locked: the coordinator can make a correction."))
    return _write(actor, meeting, minutes, base_revision, general, item_notes, decisions, actions)


def correct_minutes(
    actor: Person,
    minutes: Minutes,
    base_revision: int,
    general: str,
    item_notes: dict[int, str],
    decisions: list[DecisionData],
    actions: list[ActionData],
    reason: str,
) -> Minutes:
    """A correction of approved minutes: a new revision with its reason; the minutes stay approved."""
    require(actor, "meetings.minutes.approve", minutes)
    if minutes.state != MinutesState.APPROVED:
        raise ServiceError(_l("Only approved minutes are corrected: edit these ones."))
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON:
        raise ServiceError(_l("Give the reason for the correction (2,000 characters at most)."), "reason")
    meeting = minutes.meeting
    return _write(actor, meeting, minutes, base_revision, general, item_notes, decisions, actions, reason)


# States and comments ------------------------------------------------------------------------------------


def circulate(actor: Person, minutes: Minutes) -> int:
    """Draft → circulated: members may now read and comment; one e-mail per invitee. Returns the count."""
    require(actor, "meetings.minutes.edit", minutes)
    if minutes.state != MinutesState.DRAFT:
        raise ServiceError(_l("These minutes were already circulated."))
    meeting = minutes.meeting
    minutes.state = MinutesState.CIRCULATED
    minutes.circulated_at = utcnow()
    context = {
        "meeting_id": meeting.id,
        "title": meeting.title,
        "start": meeting.starts_at.isoformat(),
        "url": absolute_url(f"/meetings/{meeting.id}/minutes"),
    }
    people = invitees(meeting)
    for person in people:
        queue_email(person, TEMPLATE, context=context, dedupe_key=f"minutes:{minutes.id}:{person.id}")
    audit.record("minutes.circulate", obj=minutes, actor=actor, detail=f"{len(people)} recipients")
    db.session.commit()
    return len(people)


def approve(actor: Person, minutes: Minutes) -> None:
    """Circulated → approved (the coordinator's), recording who and when; the minutes are then locked."""
    require(actor, "meetings.minutes.approve", minutes)
    if minutes.state != MinutesState.CIRCULATED:
        raise ServiceError(
            _l("Circulate the minutes before approving them.")
            if minutes.state == MinutesState.DRAFT
            else _l("These minutes are already approved.")
        )
    minutes.state = MinutesState.APPROVED
    minutes.approved_at = utcnow()
    minutes.approved_by_id = actor.id
    audit.record("minutes.approve", obj=minutes, actor=actor, detail=f"revision {minutes.revision}")
    db.session.commit()


def add_comment(actor: Person, minutes: Minutes, text: str) -> MinutesComment:
    """A reader's comment on circulated minutes."""
    require(actor, "meetings.minutes.comment", minutes)
    text = (text or "").replace("\r\n", "\n").strip()
    if not text or len(text) > MAX_COMMENT:
        raise ServiceError(_l("Write a comment of 1 to 5,000 characters."), "text")
    comment = MinutesComment(minutes_id=minutes.id, author_id=actor.id, text=text)
    db.session.add(comment)
    db.session.flush()
    audit.record("minutes.comment", obj=comment, actor=actor, detail=f"minutes {minutes.id}")
    db.session.commit()
    return comment


# History and comparison -----------------------------------------------------------------------------


def _first_visible(actor: Person, minutes: Minutes) -> int:
    """Editors see every revision; readers from the one that was circulated (drafts before it stay hidden)."""
    if may(actor, "meetings.minutes.edit", minutes):
        return 1
    last_draft = db.session.scalar(
        sa.select(sa.func.max(MinutesRevision.number)).where(
            MinutesRevision.minutes_id == minutes.id, MinutesRevision.state == MinutesState.DRAFT
        )
    )
    return last_draft or 1


def history(actor: Person, minutes: Minutes) -> list[MinutesRevision]:
    """The revisions the actor may see, newest first, with their authors."""
    require(actor, "meetings.minutes.read", minutes)
    return list(
        db.session.scalars(
            sa.select(MinutesRevision)
            .where(
                MinutesRevision.minutes_id == minutes.id,
                MinutesRevision.number >= _first_visible(actor, minutes),
            )
            .order_by(MinutesRevision.number.desc())
            .options(orm.joinedload(MinutesRevision.author))
        ).unique()
    )


@dataclass(frozen=True)
class Comparison:
    old: MinutesRevision
    new: MinutesRevision
    lines: list[str]  # a unified diff of the two snapshots as text; "+", "-", " " or "@" first

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def compare(actor: Person, minutes: Minutes, a: int, b: int) -> Comparison:
    """A line diff of two revisions' snapshots as plain text; an unknown (or hidden) number is a 404."""
    require(actor, "meetings.minutes.read", minutes)
    first = _first_visible(actor, minutes)
    wanted = {n for n in (a, b) if isinstance(n, int) and first <= n <= MAX_REVISION}
    found = {
        row.number: row
        for row in db.session.scalars(
            sa.select(MinutesRevision)
            .where(MinutesRevision.minutes_id == minutes.id, MinutesRevision.number.in_(wanted))
            .options(orm.joinedload(MinutesRevision.author))
        ).unique()
    }
    if a not in found or b not in found:
        raise NotFound()
    old, new = found[a], found[b]
    lines = difflib.unified_diff(
        snapshot_lines(old.snapshot),
        snapshot_lines(new.snapshot),
        fromfile=_("Revision %(number)d", number=a),
        tofile=_("Revision %(number)d", number=b),
        lineterm="",
        n=2,
    )
    return Comparison(old, new, list(lines))


STATUS_LABELS = {
    ActionStatus.OPEN: _l("open"),
    ActionStatus.DONE: _l("done"),
    ActionStatus.CANCELLED: _l("cancelled"),
}


def _indented(text: str, prefix: str = "  ") -> list[str]:
    return [prefix + line for line in (text or "").splitlines()] or [prefix.rstrip()]


def _entry(value, text_key: str) -> dict:
    """A decision or action of a snapshot as a dict (older or hand-made snapshots may hold plain strings)."""
    if isinstance(value, dict):
        return value
    return {text_key: str(value)}


def _text_lines(text, indent: str = "  ") -> tuple[str, list[str]]:
    first, *rest = str(text or "").splitlines() or [""]
    return first, [indent + line for line in rest]


def snapshot_lines(snapshot: dict) -> list[str]:
    """A revision as readable lines (headings, notes per item, decisions, actions), for comparisons.

    Snapshot: {"content": {"general", "items": {id: notes}}, "agenda": [{"id", "title"}],
    "decisions": [{"item", "text"}], "actions": [{"id", "item", "description", "owner", "due_date",
    "status", "done_on"}]}; missing keys and plain strings are read leniently.
    """
    snapshot = snapshot if isinstance(snapshot, dict) else {}
    content = snapshot.get("content") if isinstance(snapshot.get("content"), dict) else {}
    agenda = [item for item in snapshot.get("agenda") or [] if isinstance(item, dict) and "id" in item]
    labels = {item["id"]: f"{n}. {item.get('title', '')}" for n, item in enumerate(agenda, start=1)}
    notes = content.get("items") if isinstance(content.get("items"), dict) else {}
    lines = [f"## {_('General notes')}", *_indented(str(content.get("general") or ""))]
    shown = [(str(item["id"]), labels[item["id"]]) for item in agenda]
    known = {key for key, _label in shown}
    shown += [(key, _("Agenda item %(id)s", id=key)) for key in sorted(notes) if key not in known]
    for key, label in shown:
        lines += ["", f"## {label}", *_indented(str(notes.get(key) or ""))]
    lines += ["", f"## {_('Decisions')}"]
    for decision in (_entry(value, "text") for value in snapshot.get("decisions") or []):
        label = labels.get(decision.get("item"))
        first, rest = _text_lines(decision.get("text"))
        lines += [f"- {first}" + (f"  [{label}]" if label else ""), *rest]
    lines += ["", f"## {_('Actions')}"]
    for action in (_entry(value, "description") for value in snapshot.get("actions") or []):
        first, rest = _text_lines(action.get("description"))
        status = str(action.get("status") or "")
        facts = [
            str(action.get("owner") or _("no owner")),
            _("due %(date)s", date=action["due_date"]) if action.get("due_date") else _("no due date"),
            str(STATUS_LABELS.get(status, status)),
        ]
        lines += [f"- {first}", *rest, "  (" + " · ".join(facts) + ")"]
    return lines


@context_builder(TEMPLATE)
def _circulated_context(message) -> dict:
    return {"start": datetime.fromisoformat(message.context["start"])}
