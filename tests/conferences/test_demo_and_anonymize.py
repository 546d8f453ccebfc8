"""The demo conference (about a demo participant, with an agenda) and the anonymizer the purge calls."""

from __future__ import annotations

import sqlalchemy as sa

from coord.conferences import anonymize
from coord.conferences.models import CaseConference
from coord.demo import seed_demo
from coord.extensions import db
from coord.meetings import agenda, minutes
from coord.meetings.minutes_rows import ActionData, DecisionData
from coord.meetings.models import ActionItem, AgendaItem, Decision, Minutes, MinutesRevision
from coord.modules import MODULES
from coord.referrals.coverage import covers
from coord.referrals.models import Disclosure, Purpose
from tests.calendar.factories import person
from tests.conferences.factories import participant_of, schedule_conference
from tests.support import logged_in, text

PASSWORD = "demo-sphères-2026"
SECRET = "Retour chez sa tante"


def test_the_demo_conference_is_about_a_covered_demo_participant(app):
    with app.app_context():
        seed_demo(MODULES, PASSWORD)
        seed_demo(MODULES, None)  # idempotent
        conference = db.session.scalar(sa.select(CaseConference))
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CaseConference)) == 1
        emails = {invitee.person.email.split("@")[0] for invitee in conference.invitees}
        assert emails == {"police", "coordinator", "partner"}
        assert conference.organizer.email.startswith("intervenant@")
        participant = conference.participant
        for invitee in conference.invitees:
            assert covers(participant, Purpose.CASE_CONFERENCE, invitee.person.organization_id)
        assert 2 <= len(conference.record.agenda_items) <= 3 and conference.record.host == "conferences"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Disclosure)) >= 3
        conference_id, record = conference.id, conference.record_id
    police = logged_in(app.test_client(), "police@demo.coord.test", PASSWORD)
    assert "Concertation" in text(police.get(f"/conferences/{conference_id}"))
    assert police.get(f"/meetings/{record}/agenda").status_code == 200
    researcher = logged_in(app.test_client(), "researcher@demo.coord.test", PASSWORD)
    assert researcher.get(f"/conferences/{conference_id}").status_code == 403


def test_anonymize_blanks_the_conference_and_its_record(app):
    conference_id, organizer, invitee = schedule_conference(app, title=f"Concertation — {SECRET}")
    participant_id = participant_of(app, conference_id)
    with app.app_context():
        record = db.session.get(CaseConference, conference_id).record_id
        item = agenda.add_item(person(organizer), record, agenda.ItemData(SECRET, 20, description=SECRET))
        minutes.save_minutes(
            person(organizer),
            record,
            0,
            SECRET,
            {item.id: SECRET},
            [DecisionData(SECRET)],
            [ActionData(SECRET, owner_id=invitee)],
        )
        other_id, _, _ = schedule_conference(app, title="Autre concertation")
        anonymize.anonymize([participant_id])
        db.session.commit()
        conference = db.session.get(CaseConference, conference_id)
        assert conference.title == anonymize.NEUTRAL_TITLE and conference.notes == ""
        assert conference.record.title == anonymize.NEUTRAL_TITLE
        rows = [
            *db.session.scalars(sa.select(AgendaItem.title)),
            *db.session.scalars(sa.select(AgendaItem.description)),
            *db.session.scalars(sa.select(Decision.text)),
            *db.session.scalars(sa.select(ActionItem.description)),
            repr(db.session.scalars(sa.select(Minutes.content)).all()),
            repr(db.session.scalars(sa.select(MinutesRevision.snapshot)).all()),
        ]
        assert not any(SECRET in row for row in rows)
        assert db.session.get(CaseConference, other_id).title == "Autre concertation"
