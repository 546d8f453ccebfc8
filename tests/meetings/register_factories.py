"""Helpers for the register, search and listing tests: minutes with decisions written directly."""

from __future__ import annotations

from coord.extensions import db
from coord.meetings.models import Decision, Minutes


def minutes_with_decisions(app, meeting_id: int, state: str, decisions: list[tuple[int | None, str]]) -> int:
    """Minutes in `state` with decisions (agenda item id or None, text); returns the minutes' id."""
    with app.app_context():
        minutes = Minutes(meeting_id=meeting_id, state=state, revision=1, content={"general": ""})
        db.session.add(minutes)
        for position, (item_id, text) in enumerate(decisions):
            db.session.add(
                Decision(meeting_id=meeting_id, agenda_item_id=item_id, position=position, text=text)
            )
        db.session.commit()
        return minutes.id
