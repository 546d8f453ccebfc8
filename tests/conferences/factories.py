"""Case conferences for tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from coord.conferences import services as conference_services
from tests.calendar.factories import person
from tests.directory.factories import make_person


def schedule_conference(app):
    organizer = make_person(app, roles=("intervenant",))
    police = make_person(app, roles=("intervenant",), preferred_language="en")
    with app.app_context():
        start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=4)
        conference = conference_services.schedule_conference(
            person(organizer),
            conference_services.ConferenceData(
                "Concertation J.T. — fugue",
                start,
                start + timedelta(hours=1),
                "CLSC Hochelaga",
                notes="Participante de 15 ans",
            ),
            [police],
        )
        return conference.id, organizer, police
