"""Outside people: the public form (bad input, honeypot, the same address again), the verification link
(GET changes nothing, POST places), the follow page and cancelling from it."""

from __future__ import annotations

from coord.core.localtime import utcnow
from coord.extensions import db
from coord.training import registration as registration_service
from coord.training.models import Audience, Registration
from tests.support import post_form, text
from tests.training.factories_reg import link_in, make_session, messages_to, registrations, session_ref

GOOD = {"name": "Élodie Tremblay", "email": "Elodie@Ecole.example.org", "organization": "École Saint-Luc"}


def public_form(app, client, **values):
    session_id = make_session(app, audience=Audience.OPEN, **values)
    url = f"/trainings/{session_ref(app, session_id)}/register"
    return session_id, url


def send(client, url, **changes):
    return post_form(client, url, {**GOOD, "language": "fr", **changes}, token_page=url)


def test_an_outside_person_registers_verifies_and_follows(app, client):
    session_id, url = public_form(app, client, capacity=1)
    page = client.get(url)
    assert page.status_code == 200 and "Votre nom" in text(page)
    sent = send(client, url)
    assert sent.status_code == 200 and "Consultez vos courriels" in text(sent)
    assert [(r.status, r.email) for r in registrations(app, session_id)] == [
        ("unverified", "elodie@ecole.example.org")
    ]
    verify = link_in(messages_to(app, "elodie@ecole.example.org")[-1], "/trainings/verify/")

    assert "Confirmer mon inscription" in text(client.get(verify))
    assert registrations(app, session_id)[0].status == "unverified"  # a mail scanner changes nothing
    done = post_form(client, verify, token_page=verify)
    assert done.status_code == 200 and "Vous avez une place" in text(done)
    assert registrations(app, session_id)[0].status == "registered"
    assert post_form(client, verify, token_page=verify).status_code == 200  # again: nothing new
    assert [r.status for r in registrations(app, session_id)] == ["registered"]
    with app.app_context():
        from coord.audit import AuditEntry

        actions = sorted(
            e.action for e in db.session.query(AuditEntry).filter(AuditEntry.action.like("training.%"))
        )
    assert actions == ["training.registration.create", "training.registration.verify"]

    notice = messages_to(app, "elodie@ecole.example.org")[-1]
    follow = link_in(notice, "/trainings/follow/")
    page = client.get(follow)
    assert page.status_code == 200 and "Vous avez une place" in text(page)
    step = client.get(follow + "/cancel")
    assert step.status_code == 200 and "Annuler cette inscription" in text(step)
    assert post_form(client, follow + "/cancel", token_page=follow + "/cancel").status_code == 302
    assert registrations(app, session_id)[0].status == "cancelled"


def test_a_full_session_puts_the_outside_person_on_the_waiting_list(app, client):
    session_id, url = public_form(app, client, capacity=1)
    for n, address in enumerate(("a@example.org", "b@example.org")):
        send(client, url, email=address, name=f"Personne {n}", organization=f"Org {n}")
        verify = link_in(messages_to(app, address)[-1], "/trainings/verify/")
        post_form(client, verify, token_page=verify)
    assert [r.status for r in registrations(app, session_id)] == ["registered", "waiting"]
    follow = link_in(messages_to(app, "b@example.org")[-1], "/trainings/follow/")
    assert "au rang 1" in text(client.get(follow))


def test_the_same_address_again_resends_and_says_nothing_more(app, client, monkeypatch):
    fixed = utcnow().replace(minute=15, second=0)  # the middle of a 10-minute window
    monkeypatch.setattr(registration_service, "utcnow", lambda: fixed)
    session_id, url = public_form(app, client)
    first = send(client, url)
    second = send(client, url, name="Autre nom")
    assert first.status_code == second.status_code == 200
    assert text(first).count("Consultez vos courriels") == text(second).count("Consultez vos courriels") > 0
    assert len(registrations(app, session_id)) == 1
    assert len(messages_to(app, "elodie@ecole.example.org")) == 2
    send(client, url)  # a third time within 10 minutes: no more e-mail
    assert len(messages_to(app, "elodie@ecole.example.org")) == 2
    verify = link_in(messages_to(app, "elodie@ecole.example.org")[-1], "/trainings/verify/")
    post_form(client, verify, token_page=verify)
    third = send(client, url)
    assert third.status_code == 200 and "Consultez vos courriels" in text(third)
    assert len(registrations(app, session_id)) == 1
    assert (
        "/trainings/follow/"
        in messages_to(app, "elodie@ecole.example.org")[-1].get_body(("plain",)).get_content()
    )


def test_bad_input_gets_form_messages(app, client):
    session_id, url = public_form(app, client)
    for changes in (
        {"email": "pas-une-adresse"},
        {"name": ""},
        {"organization": "x" * 201},
        {"language": "de"},
    ):
        response = send(client, url, **changes)
        assert response.status_code == 400, changes
    assert send(client, url, name="Élodie\nTremblay").status_code == 400
    missing = post_form(client, url, {}, token_page=url)
    assert missing.status_code == 400
    assert registrations(app, session_id) == []


def test_the_honeypot_writes_nothing(app, client):
    session_id, url = public_form(app, client)
    response = send(client, url, website="http://spam.example")
    assert response.status_code == 200 and "Consultez vos courriels" in text(response)
    assert registrations(app, session_id) == []


def test_partners_only_and_closed_sessions(app, client):
    partners_only = make_session(app)
    assert client.get(f"/trainings/{session_ref(app, partners_only)}/register").status_code == 404
    from datetime import timedelta

    session_id, url = public_form(
        app, client, opens=utcnow() - timedelta(days=5), closes=utcnow() - timedelta(days=1)
    )
    response = send(client, url)
    assert response.status_code == 400 and "Les inscriptions ont fermé le" in text(response)
    assert registrations(app, session_id) == []


def test_bad_links_say_the_link_is_not_valid(app, client):
    for path in (
        "/trainings/verify/abc",
        "/trainings/follow/abc",
        "/trainings/follow/abc/cancel",
        "/trainings/claim/a.b.c",
    ):
        response = client.get(path)
        assert response.status_code == 404 and "Ce lien n’est pas valide" in text(response), path
    with app.app_context():
        assert db.session.query(Registration).count() == 0


def test_the_follow_page_shows_the_attestation_once_present(app, client):
    session_id, url = public_form(app, client)
    send(client, url)
    verify = link_in(messages_to(app, "elodie@ecole.example.org")[-1], "/trainings/verify/")
    post_form(client, verify, token_page=verify)
    follow = link_in(messages_to(app, "elodie@ecole.example.org")[-1], "/trainings/follow/")
    assert 'id="attestation"' not in text(client.get(follow))
    with app.app_context():
        row = db.session.query(Registration).filter_by(session_id=session_id).one()
        row.attendance, row.attestation_code = "present", "ABCD2345EFGH"
        db.session.commit()
    assert 'id="attestation"' in text(client.get(follow))
