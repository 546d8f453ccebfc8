"""A committee's register of decisions (newest meeting first) and the CSV exports of its decisions and
actions. Members read the decisions of circulated and approved minutes; the committee's editors, drafts too.
Exports are audited (".read": they change nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy import orm
from werkzeug.exceptions import NotFound

from coord import audit
from coord.core.csv_export import csv_text
from coord.core.ids import MAX_ID
from coord.core.localtime import local_today, to_local
from coord.core.permissions import may, require
from coord.directory.models import Committee, Person
from coord.extensions import db
from coord.meetings import actions
from coord.meetings.hosts import NOT_HOSTED
from coord.meetings.models import AgendaItem, Decision, Meeting, Minutes, MinutesState

MAX_DECISIONS = 2000


@dataclass(frozen=True)
class DecisionLine:
    decision: Decision
    meeting: Meeting
    item_number: int | None  # the agenda item's number in its meeting, None when it hangs under none
    item_title: str
    state: str  # the minutes' state: draft (editors only), circulated or approved

    @property
    def adopted(self) -> bool:
        return self.state == MinutesState.APPROVED


@dataclass(frozen=True)
class DecisionRegister:
    committee: Committee
    lines: list[DecisionLine]
    can_export_actions: bool


def find_committee(committee_id: int) -> Committee:
    committee = db.session.get(Committee, committee_id) if 0 < committee_id <= MAX_ID else None
    if committee is None:
        raise NotFound()
    return committee


def readable_states(actor: Person, committee: Committee) -> tuple[str, ...]:
    """The states of minutes whose content the actor reads for this committee."""
    if may(actor, "meetings.edit", committee):
        return tuple(MinutesState)
    return (MinutesState.CIRCULATED, MinutesState.APPROVED)


def decision_lines(actor: Person, committee: Committee) -> list[DecisionLine]:
    """The committee's decisions the actor may read, newest meeting first, in the minutes' order."""
    rows = db.session.execute(
        sa.select(Decision, Meeting, Minutes.state)
        .join(Meeting, Meeting.id == Decision.meeting_id)
        .join(Minutes, Minutes.meeting_id == Meeting.id)
        .where(
            Meeting.committee_id == committee.id,
            NOT_HOSTED,
            Minutes.state.in_(readable_states(actor, committee)),
        )
        .options(orm.lazyload(Meeting.guests), orm.lazyload(Meeting.series))
        .order_by(Meeting.starts_at.desc(), Decision.position, Decision.id)
        .limit(MAX_DECISIONS)
    ).all()
    meeting_ids = {meeting.id for _, meeting, _ in rows}
    numbers: dict[int, tuple[int, str]] = {}
    if meeting_ids:
        items = db.session.execute(
            sa.select(AgendaItem.id, AgendaItem.meeting_id, AgendaItem.title)
            .where(AgendaItem.meeting_id.in_(meeting_ids))
            .order_by(AgendaItem.meeting_id, AgendaItem.position, AgendaItem.id)
        ).all()
        rank: dict[int, int] = {}
        for item_id, meeting_id, title in items:
            rank[meeting_id] = rank.get(meeting_id, 0) + 1
            numbers[item_id] = (rank[meeting_id], title)
    lines = []
    for decision, meeting, state in rows:
        number, title = numbers.get(decision.agenda_item_id or 0, (None, ""))
        lines.append(DecisionLine(decision, meeting, number, title, state))
    return lines


def decision_register(actor: Person, committee_id: int) -> DecisionRegister:
    """The register page: for staff and the committee's members."""
    committee = find_committee(committee_id)
    require(actor, "meetings.actions.view", committee)
    return DecisionRegister(
        committee, decision_lines(actor, committee), may(actor, "meetings.actions.view", committee)
    )


def _day(value: datetime | date | None) -> str:
    if value is None:
        return ""
    return (to_local(value).date() if isinstance(value, datetime) else value).isoformat()


def _state_label(state: str) -> str:
    return {
        MinutesState.DRAFT: gettext("Draft"),
        MinutesState.CIRCULATED: gettext("Circulated for comments"),
        MinutesState.APPROVED: gettext("Approved"),
    }.get(state, state)


def export_decisions(actor: Person, committee_id: int) -> str:
    """The register as CSV text, in the reader's language (cells neutralized); audited."""
    committee = find_committee(committee_id)
    require(actor, "meetings.actions.view", committee)
    lines = decision_lines(actor, committee)
    header = [gettext("Date"), gettext("Meeting"), gettext("Item"), gettext("Decision"), gettext("Minutes")]
    rows = [
        (
            _day(line.meeting.starts_at),
            line.meeting.title,
            f"{line.item_number}. {line.item_title}" if line.item_number else "",
            line.decision.text,
            _state_label(line.state),
        )
        for line in lines
    ]
    audit.record("decisions.export.read", obj=committee, actor=actor, detail=f"rows={len(rows)}")
    db.session.commit()
    return csv_text(header, rows)


def export_actions(actor: Person, committee_id: int, status: str = "all") -> str:
    """The committee's actions (the same ones as its list, with that status) as CSV text; audited."""
    page = actions.committee_actions(actor, committee_id, status)
    labels = {
        "open": gettext("Open"),
        "done": gettext("Done"),
        "cancelled": gettext("Cancelled"),
    }
    header = [
        gettext("Date"),
        gettext("Meeting"),
        gettext("Action"),
        gettext("Owner"),
        gettext("Due date"),
        gettext("Status"),
        gettext("Done on"),
    ]
    rows = [
        (
            _day(action.meeting.starts_at),
            action.meeting.title,
            action.description,
            action.owner.display_name if action.owner else action.owner_name,
            _day(action.due_date),
            labels.get(action.status, action.status),
            _day(action.done_on),
        )
        for action in page.rows
    ]
    audit.record("actions.export.read", obj=page.committee, actor=actor, detail=f"rows={len(rows)}")
    db.session.commit()
    return csv_text(header, rows)


def export_filename(kind: str, committee: Committee | int, today: date | None = None) -> str:
    """ASCII only: decisions-comite-<id>-YYYY-MM-DD.csv (no user text in the name)."""
    committee_id = committee if isinstance(committee, int) else committee.id
    return f"{kind}-comite-{committee_id}-{(today or local_today()).isoformat()}.csv"
