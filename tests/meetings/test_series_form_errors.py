"""The series form reports every error at once, not one per submit."""

from __future__ import annotations

import sqlalchemy as sa

from coord.extensions import db
from coord.meetings.models import MeetingSeries
from tests.calendar.factories import committee_with_people
from tests.directory.factories import email_of
from tests.support import logged_in, post_form, text

FORM = {
    "title": "Comité clinique",
    "first_day": "2026-12-08",
    "start_time": "09:30",
    "duration_minutes": "120",
    "frequency": "monthly_by_weekday",
    "interval": "1",
    "ends": "never",
    "location": "CIUSSS, salle 2.14",
    "video_url": "",
}


def _errors(body: str) -> list[str]:
    return [part.split('"')[0] for part in body.split('<ul class="errors" id="')[1:]]


def test_every_error_of_the_series_form_shows_at_once(app, client):
    committee, coordinator, _ = committee_with_people(app)
    logged_in(client, email_of(app, coordinator))
    form = FORM | {
        "committee_id": str(committee),
        "ends": "until",
        "until_date": "",
        "video_url": "ftp://example.org/salle",
        "guests": "personne.inconnue@example.org",
    }
    response = post_form(client, "/meetings/series/new", form, token_page="/meetings/series/new")
    assert response.status_code == 400
    body = text(response)
    assert {"until_date-error", "guests-error"} <= set(_errors(body)), _errors(body)
    assert "Indiquez la dernière date." in body or "dernière date" in body
    assert "personne.inconnue@example.org" in body

    form = FORM | {
        "committee_id": str(committee),
        "video_url": "ftp://x",
        "guests": "personne.inconnue@example.org",
    }
    body = text(post_form(client, "/meetings/series/new", form, token_page="/meetings/series/new"))
    assert {"video_url-error", "guests-error"} <= set(_errors(body)), _errors(body)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(MeetingSeries.id))) == 0
