"""Requests for a training: the public form (checks, honeypot, caps, acknowledgement), signed in (prefilled),
the coordinator's list and page, declining with a reason (confirmation page, e-mail in the requester's
language)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from coord.audit import AuditEntry
from coord.core.localtime import local_today
from coord.extensions import db
from coord.notify.models import OutboxMessage
from coord.training.models import TrainingRequest
from tests.support import csrf_token, logged_in, post_form, text
from tests.training.factories_att import coordinator, ensure_module, make_person

URL = "/trainings/request"


@pytest.fixture(autouse=True)
def _catalogue(request):
    """The module the requests name (on any app the test builds, through make_app's first app)."""
    if "app" in request.fixturenames:
        ensure_module(request.getfixturevalue("app"))


def valid(**changes) -> dict:
    today = local_today()
    data = {
        "organization_name": "École secondaire Saint-Luc",
        "contact_name": "Marie Côté",
        "contact_email": "Marie.Cote@example.org",
        "module": "trauma",
        "audience": "Le personnel du service aux élèves",
        "expected_size": "25",
        "period_start": (today + timedelta(days=30)).isoformat(),
        "period_end": (today + timedelta(days=90)).isoformat(),
        "language": "fr",
        "details": "Plutôt en après-midi.",
        "website": "",
    }
    data.update(changes)
    return data


def _post(client, data):
    return client.post(URL, data={**data, "csrf_token": csrf_token(client, URL)})


def _requests(app):
    with app.app_context():
        return db.session.scalars(sa.select(TrainingRequest).order_by(TrainingRequest.id)).all()


def _emails(app, template):
    with app.app_context():
        return db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.template == template)).all()


def test_a_public_request_is_recorded_and_acknowledged(app, client):
    assert "Organisme" in text(client.get(URL))
    response = _post(client, valid())
    assert response.status_code == 303 and response.headers["Location"].endswith("/trainings/request/sent")
    [request] = _requests(app)
    assert request.contact_email == "marie.cote@example.org" and request.expected_size == 25
    [mail] = _emails(app, "training/request_received")
    assert mail.to_address == "marie.cote@example.org" and mail.language == "fr"
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count()).where(AuditEntry.action == "training.request.create")
            )
            == 1
        )
    _post(client, valid())  # the same form sent again: the first request stands
    assert len(_requests(app)) == 1


def test_bad_input_gets_a_message_and_nothing_written(app, client):
    today = local_today()
    for changes in (
        {"expected_size": "0"},
        {"expected_size": "1001"},
        {"expected_size": "beaucoup"},
        {"period_start": (today - timedelta(days=1)).isoformat()},
        {"period_end": (today + timedelta(days=10)).isoformat()},
        {"period_start": "demain"},
        {"module": "nope"},
        {"contact_email": "pas-une-adresse"},
        {"organization_name": ""},
        {"audience": "x" * 301},
    ):
        response = _post(client, valid(**changes))
        assert response.status_code == 400, changes
    assert _requests(app) == []


def test_the_honeypot_and_the_caps(make_app, redis_url):
    app = make_app(
        REDIS_URL=redis_url, RATELIMIT_STORAGE_URI=redis_url, TRAINING_REQUESTS_PER_ADDRESS="3 per hour"
    )
    ensure_module(app)
    client = app.test_client()
    response = _post(client, valid(website="http://spam.example"))
    assert response.status_code == 303, text(response)[-3000:]
    assert _requests(app) == []
    statuses = [
        _post(client, valid(contact_email=f"n{n}@example.org", expected_size=str(n + 1))).status_code
        for n in range(3)
    ]
    assert statuses == [303, 303, 429]


def test_signed_in_requests_are_prefilled(app, client):
    person = make_person(app, roles=("requester",), email="demandeuse@example.org")
    logged_in(client, "demandeuse@example.org")
    page = text(client.get(URL))
    assert 'value="demandeuse@example.org"' in page
    assert post_form(client, URL, valid(), token_page=URL).status_code == 303
    [request] = _requests(app)
    assert request.requested_by_id == person and request.organization_id is not None


def test_the_coordinator_lists_and_declines(app, client):
    _post(app.test_client(), valid(organization_name="Maison des jeunes Alpha", language="en"))
    _post(app.test_client(), valid(organization_name="CLSC Beta", contact_email="b@example.org"))
    [alpha, beta] = _requests(app)
    intervenant = logged_in(app.test_client(), "x" and _email_of(app, make_person(app)))
    assert intervenant.get("/training/requests").status_code == 403
    assert intervenant.get(f"/training/requests/{alpha.ref}/decline").status_code == 403
    logged_in(client, _email_of(app, coordinator(app)))
    page = text(client.get("/training/requests"))
    assert page.index("Maison des jeunes Alpha") < page.index("CLSC Beta")
    page = text(client.get("/training/requests", query_string={"q": "beta"}))
    assert "CLSC Beta" in page and "Alpha" not in page
    page = text(client.get(f"/training/requests/{alpha.ref}"))
    assert f"/training/sessions/new?request={alpha.ref}" in page
    confirm = client.get(f"/training/requests/{alpha.ref}/decline")
    assert confirm.status_code == 200 and "Refuser" in text(confirm)
    url = f"/training/requests/{alpha.ref}/decline"
    assert post_form(client, url, {"reason": ""}, token_page=url).status_code == 400
    assert post_form(client, url, {"reason": "No trainer free."}, token_page=url).status_code == 303
    assert post_form(client, url, {"reason": "No trainer free."}, token_page=url).status_code == 303
    [declined] = [r for r in _requests(app) if r.ref == alpha.ref]
    assert declined.status == "declined" and declined.decline_reason == "No trainer free."
    [mail] = _emails(app, "training/request_declined")
    assert mail.language == "en" and mail.context["reason"] == "No trainer free."
    page = text(client.get("/training/requests"))
    assert page.index("CLSC Beta") < page.index("Maison des jeunes Alpha")  # open ones first


def _email_of(app, person_id):
    from coord.directory.models import Person

    with app.app_context():
        return db.session.get(Person, person_id).email


def test_the_e_mails_read_well_in_both_languages(app, client):
    from coord.notify.outbox import render

    _post(client, valid(language="fr"))
    _post(app.test_client(), valid(language="en", contact_email="en@example.org"))
    with app.app_context():
        french, english = (
            render(message)
            for message in db.session.scalars(
                sa.select(OutboxMessage)
                .where(OutboxMessage.template == "training/request_received")
                .order_by(OutboxMessage.id)
            )
        )
        body = french.get_body(("plain",)).get_content()
        assert "Nous avons reçu la demande" in body and "traumatismes" in body and "25 personnes" in body
        body = english.get_body(("plain",)).get_content()
        assert "We received the request" in body and "Trauma-informed approaches" in body
