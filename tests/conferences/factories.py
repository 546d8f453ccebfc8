"""Case conferences for tests: about a participant whose consent covers the invitee's organization."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from coord.conferences import services as conference_services
from tests.calendar.factories import person
from tests.directory.factories import make_person
from tests.referrals.factories import conferences_participant


def schedule_conference(app, organizer=None, invitee=None, start=None, **data):
    """A conference (organizer: an intervenant holding the participant's file; one invitee of another
    organization, covered by consent). Returns (conference id, organizer id, invitee id)."""
    organizer = organizer or make_person(app, roles=("intervenant",))
    invitee = invitee or make_person(app, roles=("intervenant",), preferred_language="en")
    with app.app_context():
        invitee_org = person(invitee).organization_id
    participant_id, ref = conferences_participant(app, organizer, [invitee_org])
    with app.app_context():
        start = start or datetime.now(UTC).replace(microsecond=0) + timedelta(days=4)
        conference = conference_services.schedule_conference(
            person(organizer),
            ref,
            conference_services.ConferenceData(
                data.get("title", "Concertation J.T. — fugue"),
                start,
                start + timedelta(hours=1),
                data.get("location", "CLSC Hochelaga"),
                data.get("video_url", ""),
                notes=data.get("notes", "Participante de 15 ans"),
            ),
            [invitee],
        )
        return conference.id, organizer, invitee


def participant_of(app, conference_id: int) -> int:
    from coord.conferences.models import CaseConference
    from coord.extensions import db

    with app.app_context():
        return db.session.get(CaseConference, conference_id).participant_id
