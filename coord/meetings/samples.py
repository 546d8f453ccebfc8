"""Real values for the meetings' URL variables, taken from the demo data (for the garbage sweep)."""

from __future__ import annotations

from sqlalchemy import select

from coord.calendar.answers import occurrence_key
from coord.extensions import db
from coord.meetings.hosts import NOT_HOSTED
from coord.meetings.models import ActionItem, AgendaItem, Meeting


def route_samples() -> dict[str, object]:
    """The next prepared occurrence of the demo series (with its agenda), its series, an item, an action."""
    item = db.session.scalar(
        select(AgendaItem).join(Meeting).where(NOT_HOSTED).order_by(AgendaItem.id.desc())
    )  # a committee's: hosted records are another module's
    meeting = db.session.get(Meeting, item.meeting_id)
    return {
        "meeting_id": meeting.id,
        "series_id": meeting.series_id,
        "key": occurrence_key(meeting.original_start),
        "item_id": item.id,
        "action_id": db.session.scalar(
            select(ActionItem.id)
            .join(Meeting, Meeting.id == ActionItem.meeting_id)
            .where(NOT_HOSTED)
            .order_by(ActionItem.id)
        ),
    }
