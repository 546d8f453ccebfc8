"""Revisions of the minutes: the snapshot every save keeps, the history of revisions, and the comparison
of two of them as a line diff. Editors see every revision; readers from the one that was circulated.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm
from werkzeug.exceptions import NotFound

from coord.core.permissions import may
from coord.directory.models import Person
from coord.extensions import db
from coord.meetings.minutes_page import MinutesPage, read_page
from coord.meetings.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Decision,
    Minutes,
    MinutesRevision,
    MinutesState,
)

MAX_REVISION = 1_000_000


def snapshot(minutes: Minutes, items: list[AgendaItem], decisions: list[Decision], names: dict) -> dict:
    """The whole content of the minutes as saved, for a MinutesRevision (`names`: owners' names by id)."""
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


def _written_page(actor: Person, meeting_id: int) -> MinutesPage:
    page = read_page(actor, meeting_id)  # checks that the actor reads these minutes
    if page.minutes is None:
        raise NotFound()
    return page


@dataclass(frozen=True)
class HistoryPage:
    page: MinutesPage
    revisions: list[MinutesRevision]  # newest first, with their authors


def history_page(actor: Person, meeting_id: int) -> HistoryPage:
    """The revisions the actor may see (a 404 when no minutes were written yet)."""
    page = _written_page(actor, meeting_id)
    minutes = page.minutes
    revisions = db.session.scalars(
        sa.select(MinutesRevision)
        .where(
            MinutesRevision.minutes_id == minutes.id,
            MinutesRevision.number >= _first_visible(actor, minutes),
        )
        .order_by(MinutesRevision.number.desc())
        .options(orm.joinedload(MinutesRevision.author))
    ).unique()
    return HistoryPage(page, list(revisions))


@dataclass(frozen=True)
class Comparison:
    old: MinutesRevision
    new: MinutesRevision
    lines: list[str]  # a unified diff of the two snapshots as text; "+", "-", " " or "@" first

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class ComparisonPage:
    page: MinutesPage
    comparison: Comparison


def compare_page(
    actor: Person, meeting_id: int, a: int | None = None, b: int | None = None
) -> ComparisonPage:
    """A line diff of two revisions' snapshots as plain text: by default the latest and the one before.
    An unknown (or hidden) number is a 404."""
    page = _written_page(actor, meeting_id)
    minutes = page.minutes
    b = minutes.revision if b is None else b
    a = max(b - 1, 1) if a is None else a
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
    return ComparisonPage(page, Comparison(old, new, list(lines)))


# A snapshot as text ---------------------------------------------------------------------------------

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
