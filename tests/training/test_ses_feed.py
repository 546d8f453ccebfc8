"""The public training feed: sessions open to outside organizations, read alike by three iCalendar readers,
in French and in English (?lang=en), naming no registrant; partners-only sessions stay out of it."""

from __future__ import annotations

from datetime import time, timedelta

from coord.extensions import db
from coord.training.models import TrainingSession
from tests.calendar.independent_parsers import all_readers_agree
from tests.directory.factories import make_person
from tests.training.factories_ses import coordinator, in_days, make_session, register


def _z(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_the_public_feed_in_both_languages(app, client):
    boss = coordinator(app)
    first, second = in_days(40), in_days(41)
    open_id = make_session(
        app,
        boss,
        audience="open",
        code="mi-initial",
        parts=[(first, time(9), time(12)), (second, time(13), time(16))],
        registration_closes=first - timedelta(days=1),
    )
    make_session(app, boss, code="networks", days=42)  # partners only
    registrant = make_person(app, display_name="Zoé Inscrite")
    register(app, open_id, person_id=registrant)
    register(app, open_id, name="Ulysse Dehors")
    with app.app_context():
        session = db.session.get(TrainingSession, open_id)
        start, end = session.starts_at - timedelta(days=1), session.ends_at + timedelta(days=2)
        parts = [(_z(p.starts_at), _z(p.ends_at)) for p in session.parts]
    french = client.get("/feeds/public/training.ics")
    assert french.status_code == 200
    body = french.get_data(as_text=True)
    assert "Zoé" not in body and "Ulysse" not in body
    found = all_readers_agree(body, start, end)
    assert [(i["start"], i["end"]) for i in found] == parts
    assert "partie 1 de 2" in found[0]["summary"]
    assert (
        "Entretien motivationnel" in found[0]["summary"]
        or "entretien motivationnel" in found[0]["summary"].lower()
    )
    english = client.get("/feeds/public/training.ics?lang=en").get_data(as_text=True)
    found_en = all_readers_agree(english, start, end)
    assert len(found_en) == 2
    assert "part 1 of 2" in found_en[0]["summary"] and "Motivational" in found_en[0]["summary"]
