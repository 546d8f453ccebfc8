"""Agenda and minutes as printable HTML and as PDF (WeasyPrint), in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import orm

from coord.core.permissions import require
from coord.directory.models import Person
from coord.extensions import db
from coord.meetings import agenda_page
from coord.meetings.attendance import Quorum, attendance_rows, people_of, quorum
from coord.meetings.hosts import note_read
from coord.meetings.models import ActionItem, Decision, Meeting, Minutes, Presence

PRINT_CSS = Path(__file__).resolve().parent.parent.parent / "static" / "css" / "print.css"


@dataclass
class MinutesDocument:
    meeting: Meeting
    minutes: Minutes
    timing: agenda_page.AgendaTiming
    decisions: list[Decision]
    actions: list[ActionItem]
    attendance: dict[str, list[Person]] = field(default_factory=dict)  # present / absent / excused
    quorum: Quorum | None = None
    guests: dict[str, list[Person]] = field(default_factory=dict)  # non-members, by presence

    def notes_for(self, item_id: int) -> str:
        return (self.minutes.content or {}).get("items", {}).get(str(item_id), "")

    def decisions_for(self, item_id: int | None) -> list[Decision]:
        return [d for d in self.decisions if d.agenda_item_id == item_id]


def agenda_document(actor: Person, meeting_id: int) -> agenda_page.Agenda:
    """The agenda as printed (a 404 when there is no such meeting)."""
    return agenda_page.agenda_for(actor, meeting_id)


def minutes_document(actor: Person, meeting_id: int) -> MinutesDocument | None:
    """The minutes with everything the printed version shows, for a reader allowed to read them."""
    minutes = db.session.scalar(sa.select(Minutes).where(Minutes.meeting_id == meeting_id))
    if minutes is None:
        return None
    require(actor, "meetings.minutes.read", minutes)
    note_read(actor, minutes.meeting, "minutes")  # a hosted record's host may audit the read
    meeting = db.session.scalar(
        sa.select(Meeting).where(Meeting.id == meeting_id).options(agenda_page.LOAD_ITEMS)
    )
    decisions = db.session.scalars(
        sa.select(Decision).where(Decision.meeting_id == meeting_id).order_by(Decision.position, Decision.id)
    ).all()
    actions = db.session.scalars(
        sa.select(ActionItem)
        .where(ActionItem.meeting_id == meeting_id)
        .options(orm.joinedload(ActionItem.owner))
        .order_by(ActionItem.id)
    ).all()
    rows = attendance_rows(meeting)
    people = {person.id: person for person in people_of(meeting, rows)}
    grouped = {value: [] for value in Presence}
    guests = {value: [] for value in Presence}
    for row in rows:  # members (and everyone at a meeting without a committee), then guests apart
        (grouped if row.member or meeting.committee_id is None else guests)[row.presence].append(
            people[row.person_id]
        )
    for group in [*grouped.values(), *guests.values()]:
        group.sort(key=lambda person: person.display_name)
    return MinutesDocument(
        meeting,
        minutes,
        agenda_page.timing(meeting),
        list(decisions),
        list(actions),
        grouped,
        quorum(meeting, rows),
        guests,
    )


def pdf(html: str) -> bytes:
    """The printable HTML (rendered with `for_pdf`, so it links to nothing) as a PDF, with print.css."""
    # Imported here on purpose: WeasyPrint (with Pango) is slow to import and only PDFs need it.
    from weasyprint import CSS, HTML

    document = HTML(string=html, base_url=current_app.static_folder)
    return document.write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))])
