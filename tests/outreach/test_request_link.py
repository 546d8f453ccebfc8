"""The requester's signed link: the page it opens in each state, and every way a link is not valid."""

from __future__ import annotations

import time
from datetime import timedelta

from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from coord.core.localtime import utcnow
from coord.extensions import db
from coord.outreach import links
from coord.outreach.models import Assignment, OutreachRequest, Presenter
from tests.outreach.factories_requests import confirm_directly, local, make_request, presenter
from tests.support import text

SALT = "coord.outreach.requester-link"


def token_of(app, request_id: int) -> str:
    with app.app_context():
        return links.token_for(db.session.get(OutreachRequest, request_id))


def follow(client, token: str, language: str = "fr-CA"):
    return client.get(f"/outreach/follow/{token}", headers={"Accept-Language": language})


def test_a_new_request_shows_its_status_and_the_times_proposed(app, client):
    request_id = make_request(app)
    page = text(follow(client, token_of(app, request_id)))
    assert "Reçue, en attente de confirmation" in page
    assert "Le moment proposé\u00a0:" in page
    assert "\u00a0h" in page and "18\u00a0h à 20\u00a0h" in page  # "de 18 h à 20 h"
    assert "Maison des jeunes du Plateau" in page
    assert "Demande reçue" in page  # history
    assert "karim@mdj.example" not in page  # the page needs no contact detail


def test_a_confirmed_session_shows_time_place_and_presenter_names_but_no_address(app, client):
    presenter_id = presenter(app, display_name="Julie Gagnon", email="julie.gagnon@cn.example")
    request_id = make_request(app)
    confirm_directly(app, request_id, presenter_id, local(2027, 3, 16, 13, 30))
    response = follow(client, token_of(app, request_id))
    page = text(response)
    assert response.status_code == 200
    assert response.headers["X-Robots-Tag"].startswith("noindex")
    assert "Confirmée" in page
    assert "mardi 16 mars 2027, de 13\u00a0h\u00a030 à 15\u00a0h" in page
    assert "Personne animatrice\u00a0: Julie Gagnon" in page
    assert "julie.gagnon@cn.example" not in page
    english = text(follow(client, token_of(app, request_id), "en"))
    assert "Tuesday, March 16, 2027, from 1:30\u00a0p.m. to 3:00\u00a0p.m." in english


def test_held_declined_and_cancelled_are_said_in_words(app, client):
    request_id = make_request(app)
    with app.app_context():
        request = db.session.get(OutreachRequest, request_id)
        request.state, request.decline_reason = "declined", "Aucune personne disponible en juillet."
        db.session.commit()
    page = text(follow(client, token_of(app, request_id)))
    assert "Refusée" in page or "Declined" not in page
    assert "le programme ne peut pas donner cette séance" in page
    assert "Aucune personne disponible en juillet." in page
    with app.app_context():
        request = db.session.get(OutreachRequest, request_id)
        request.state, request.cancelled_by = "cancelled", "requester"
        db.session.commit()
    assert "Vous avez annulé cette séance." in text(follow(client, token_of(app, request_id)))
    with app.app_context():
        request = db.session.get(OutreachRequest, request_id)
        request.state, request.people_reached = "held", 42
        request.starts_at = utcnow() - timedelta(days=3)
        request.ends_at = request.starts_at + timedelta(hours=1)
        db.session.commit()
    page = text(follow(client, token_of(app, request_id)))
    assert "42 personnes rejointes." in page and "Merci de nous avoir accueillis" in page


def _invalid(response, language="fr"):
    assert response.status_code == 404
    page = text(response)
    assert ("Ce lien n’est pas valide" if language == "fr" else "This link is not valid") in page
    assert "Traceback" not in page and "BadSignature" not in page


def test_tampered_forged_and_garbage_tokens_are_a_plain_404(app, client):
    request_id = make_request(app)
    token = token_of(app, request_id)
    _invalid(follow(client, token[:-2] + ("AA" if not token.endswith("AA") else "BB")))
    _invalid(follow(client, "x" * 5000))
    _invalid(follow(client, "not-a-token"))
    forged = URLSafeTimedSerializer("another-secret", salt=SALT).dumps({"r": request_id, "v": 0})
    _invalid(follow(client, forged))
    wrong_shape = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=SALT).dumps({"r": "1", "v": 0})
    _invalid(follow(client, wrong_shape))
    unknown = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=SALT).dumps({"r": 999, "v": 0})
    _invalid(follow(client, unknown, "en"), "en")
    assert follow(client, token).status_code == 200  # the genuine one still works


def test_an_expired_link_is_refused(app, client):
    request_id = make_request(app)

    class Signed401DaysAgo(TimestampSigner):
        def get_timestamp(self):
            return int(time.time()) - 401 * 86400

    key = app.config["SECRET_KEY"]
    old = URLSafeTimedSerializer(key, salt=SALT, signer=Signed401DaysAgo).dumps({"r": request_id, "v": 0})
    _invalid(follow(client, old))

    class Signed399DaysAgo(TimestampSigner):
        def get_timestamp(self):
            return int(time.time()) - 399 * 86400

    recent = URLSafeTimedSerializer(key, salt=SALT, signer=Signed399DaysAgo).dumps({"r": request_id, "v": 0})
    assert follow(client, recent).status_code == 200


def test_raising_the_link_version_kills_earlier_links_for_good(app, client):
    request_id = make_request(app)
    old = token_of(app, request_id)
    with app.app_context():
        db.session.get(OutreachRequest, request_id).link_version += 1
        db.session.commit()
    _invalid(follow(client, old))
    assert follow(client, token_of(app, request_id)).status_code == 200


def test_the_link_never_reaches_a_log_line(app):
    from coord.log_redaction import redact

    token = token_of(app, make_request(app))
    line = f'127.0.0.1 - - "GET /outreach/follow/{token} HTTP/1.1" 200'
    assert token not in redact(line)


def test_presenters_are_not_named_before_confirmation(app, client):
    presenter_id = presenter(app, display_name="Nadia Cloutier")
    request_id = make_request(app)
    with app.app_context():
        request = db.session.get(OutreachRequest, request_id)
        start = utcnow() + timedelta(days=30)
        request.starts_at, request.ends_at = start, start + timedelta(minutes=90)
        request.assignments.append(
            Assignment(
                presenter=db.session.get(Presenter, presenter_id), busy_from=start, busy_until=request.ends_at
            )
        )
        db.session.commit()
    page = text(follow(client, token_of(app, request_id)))
    assert "retenu pour vous jusqu’à sa confirmation" in page
    assert "Nadia Cloutier" not in page
