"""Deleting an agenda item keeps the decisions and actions taken under it (no longer tied to an item)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from coord.extensions import db
from coord.meetings import agenda, minutes, services
from coord.meetings.models import ActionItem, Decision, MeetingSeries
from tests.calendar.support import committee_with_people, person, weekly_series


def test_deleting_an_item_keeps_its_decisions_and_actions(app):
    committee, coordinator, (member, _) = committee_with_people(app)
    first = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=1)
    series_id = weekly_series(app, coordinator, committee, first_start=first)
    with app.app_context():
        actor = person(coordinator)
        series = db.session.get(MeetingSeries, series_id)
        meeting = services.prepare_occurrence(actor, series, series.first_start)
        item = agenda.add_item(actor, meeting, agenda.ItemData("Point", 20))
        minutes.save_minutes(
            actor,
            meeting,
            0,
            "",
            {},
            [minutes.DecisionData("Adoptée", item.id)],
            [minutes.ActionData("Appeler", agenda_item_id=item.id, owner_id=member)],
        )
        agenda.delete_item(actor, item)
        decision, action = db.session.scalar(db.select(Decision)), db.session.scalar(db.select(ActionItem))
        assert (decision.text, decision.agenda_item_id) == ("Adoptée", None)
        assert (action.description, action.agenda_item_id) == ("Appeler", None)
