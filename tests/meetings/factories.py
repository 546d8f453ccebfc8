"""Helpers for the agenda tests: a committee meeting, items added through the service, page rows."""

from __future__ import annotations

import re
from datetime import date, timedelta

import sqlalchemy as sa

from coord.extensions import db
from coord.meetings import agenda
from coord.meetings.models import ActionItem, AgendaItem
from tests.calendar.factories import committee_with_people, local, person, single_meeting
from tests.directory.factories import email_of
from tests.support import logged_in, post_form

# 2026-11-03 is two days after the end of daylight saving time in Montréal (UTC-5 from Nov 1).
START = local(2026, 11, 3, 9, 30)
ROW = re.compile(r'<li class="agenda-item[^"]*" id="item-(\d+)" data-number="(\d+)">')
TIME = re.compile(r'<time class="agenda-time" datetime="([^"]+)">')


def committee_meeting(app, members: int = 2, start=START, publish=True) -> tuple[int, int, list[int], int]:
    """(committee_id, coordinator_id, member ids, meeting_id) for a one-hour meeting of the committee."""
    committee, coordinator, people = committee_with_people(app, members)
    meeting = single_meeting(app, coordinator, committee, start=start, publish=publish)
    return committee, coordinator, people, meeting


def add(app, actor_id: int, meeting_id: int, title: str, minutes: int, **extra) -> int:
    with app.app_context():
        data = agenda.ItemData(title=title, duration_minutes=minutes, **extra)
        return agenda.add_item(person(actor_id), meeting_id, data).id


def item_order(app, meeting_id: int) -> list[tuple[str, int]]:
    """(title, position) of the meeting's items in position order."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(AgendaItem.title, AgendaItem.position)
            .where(AgendaItem.meeting_id == meeting_id)
            .order_by(AgendaItem.position, AgendaItem.id)
        )
        return [tuple(row) for row in rows]


def item_count(app, meeting_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count()).select_from(AgendaItem).where(AgendaItem.meeting_id == meeting_id)
        )


def page_rows(html: str) -> list[tuple[int, int]]:
    """(item id, shown number) of the agenda page's rows, in page order."""
    return [(int(item_id), int(number)) for item_id, number in ROW.findall(html)]


def add_action(app, meeting_id: int, committee_id: int, description: str, **values) -> int:
    with app.app_context():
        action = ActionItem(
            meeting_id=meeting_id,
            committee_id=committee_id,
            description=description,
            owner_id=values.get("owner_id"),
            owner_name=values.get("owner_name", ""),
            due_date=values.get("due_date"),
            status=values.get("status", "open"),
        )
        db.session.add(action)
        db.session.commit()
        return action.id


def earlier(days: int) -> date:
    return date.today() - timedelta(days=days)


def editor_client(app, client, members: int = 2, start=START):
    committee, coordinator, people, meeting = committee_meeting(app, members, start=start)
    logged_in(client, email_of(app, coordinator))
    return committee, coordinator, people, meeting


def post(client, meeting_id: int, path: str, data: dict | None = None):
    return post_form(client, f"/meetings/{meeting_id}/agenda{path}", data, token_page="/")


ITEM_FORM = {
    "title": "Tour de table",
    "duration_minutes": "20",
    "kind": "discussion",
    "presenter_id": "",
    "presenter_name": "",
    "description": "",
}
