"""The agenda and the minutes: nothing written in the minutes is lost through the agenda."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from coord.core.errors import ServiceError
from coord.extensions import db
from coord.meetings import agenda, agenda_publication, minutes, series_services
from coord.meetings.models import ActionItem, Decision, MeetingSeries
from tests.calendar.factories import committee_with_people, meeting_of, person, weekly_series


@pytest.fixture
def prepared(app):
    committee, coordinator, (member, _) = committee_with_people(app)
    first = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=1)
    series_id = weekly_series(app, coordinator, committee, first_start=first)
    with app.app_context():
        series = db.session.get(MeetingSeries, series_id)
        meeting = series_services.prepare_occurrence(person(coordinator), series_id, series.first_start)
        return meeting.id, coordinator, member


def test_an_item_with_decisions_or_actions_is_not_deleted(app, prepared):
    meeting_id, coordinator, member = prepared
    with app.app_context():
        actor = person(coordinator)
        item = agenda.add_item(actor, meeting_id, agenda.ItemData("Point", 20))
        empty = agenda.add_item(actor, meeting_id, agenda.ItemData("Varia", 5))
        minutes.save_minutes(
            actor,
            meeting_id,
            0,
            "",
            {},
            [minutes.DecisionData("Adoptée", item.id)],
            [minutes.ActionData("Appeler", agenda_item_id=item.id, owner_id=member)],
        )
        with pytest.raises(ServiceError):
            agenda.delete_item(actor, meeting_id, item.id)
        agenda.delete_item(actor, meeting_id, empty.id)  # nothing written under it: deleted
        assert [i.title for i in meeting_of(meeting_id).agenda_items] == ["Point"]
        assert db.session.scalar(db.select(Decision.agenda_item_id)) == item.id
        assert db.session.scalar(db.select(ActionItem.agenda_item_id)) == item.id


def test_circulated_or_approved_minutes_freeze_the_agenda(app, prepared):
    meeting_id, coordinator, _ = prepared
    with app.app_context():
        actor = person(coordinator)
        item = agenda.add_item(actor, meeting_id, agenda.ItemData("Point", 20))
        minutes.save_minutes(actor, meeting_id, 0, "", {item.id: "Notes"}, [], [])
        minutes.circulate(actor, meeting_id)
        for change in (
            lambda: agenda.add_item(actor, meeting_id, agenda.ItemData("Autre", 10)),
            lambda: agenda.update_item(actor, meeting_id, item.id, agenda.ItemData("Renommé", 20)),
            lambda: agenda.delete_item(actor, meeting_id, item.id),
            lambda: agenda.move_item(actor, meeting_id, item.id, "down"),
        ):
            with pytest.raises(ServiceError):
                change()
        assert [(i.title, i.duration_minutes) for i in meeting_of(meeting_id).agenda_items] == [("Point", 20)]


def test_publishing_the_same_agenda_twice_sends_it_once(app, prepared):
    from tests.calendar.factories import sent_messages

    meeting_id, coordinator, _ = prepared
    with app.app_context():
        actor = person(coordinator)
        agenda.add_item(actor, meeting_id, agenda.ItemData("Point", 20))
        first = agenda_publication.publish_agenda(actor, meeting_id)
        again = agenda_publication.publish_agenda(actor, meeting_id)
        assert first == 3 and again == 0  # a double click sends nothing more
        agenda.add_item(actor, meeting_id, agenda.ItemData("Varia", 5))
        assert agenda_publication.publish_agenda(actor, meeting_id) == 3  # a changed agenda goes out again
    subjects = [m["Subject"] for m in sent_messages(app) if "rdre du jour" in m["Subject"]]
    assert len(subjects) == 6
