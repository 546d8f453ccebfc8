"""Seats, the waiting list, promotion by e-mail with a claim link, the offer's expiry passing it on,
cancellation deadlines, prerequisites, the per-organization limit, double registration, registration dates."""

from __future__ import annotations

from datetime import timedelta

import pytest

from coord.core.errors import ServiceError
from coord.core.localtime import utcnow
from coord.extensions import db
from coord.notify.schedule import sweep
from coord.training import cancellation, offers, registration, reminders, waitlist
from coord.training.models import Registration
from tests.directory.factories import make_organization, make_person
from tests.support import logged_in, post_form, text
from tests.training.factories_reg import (
    coordinator,
    email_of,
    link_in,
    make_module,
    make_session,
    messages_to,
    partner,
    partner_org,
    person,
    registrations,
    session_ref,
    update_registration,
    update_session,
)


def register(app, person_id: int, session_id: int) -> Registration:
    with app.app_context():
        found = registration.register_self(person(person_id), session_id)
        return found.id


def refusal(app, person_id: int, session_id: int) -> str:
    with app.app_context(), pytest.raises(ServiceError) as caught:
        registration.register_self(person(person_id), session_id)
    return str(caught.value.message)


def cancel(app, actor_id: int, registration_id: int) -> None:
    with app.app_context():
        ref = db.session.get(Registration, registration_id).ref
        cancellation.cancel(person(actor_id), ref)


def statuses(app, session_id: int) -> list[str]:
    return [r.status for r in registrations(app, session_id)]


def full_session(app, waiting: int = 2):
    """A session with 1 seat, taken, and `waiting` people on the waiting list: (session, people, regs)."""
    session_id = make_session(app, capacity=1)
    people = [partner(app) for _ in range(1 + waiting)]
    regs = [register(app, p, session_id) for p in people]
    return session_id, people, regs


def test_a_freed_seat_is_offered_to_the_first_waiting_who_claims_it_from_the_e_mail(app, client):
    session_id, people, regs = full_session(app)
    assert statuses(app, session_id) == ["registered", "waiting", "waiting"]
    waiting_mail = messages_to(app, email_of(app, people[1]))[-1]
    assert "rang 1" in waiting_mail.get_body(("plain",)).get_content()

    cancel(app, people[0], regs[0])
    assert statuses(app, session_id) == ["cancelled", "offered", "waiting"]
    cancelled_mail = messages_to(app, email_of(app, people[0]))[-1]
    assert any(part.get_filename() == "annulation.ics" for part in cancelled_mail.iter_attachments())
    offer = messages_to(app, email_of(app, people[1]))[-1]
    body = offer.get_body(("plain",)).get_content()
    assert "jusqu'au " in body and " h" in body
    link = link_in(offer, "/trainings/claim/")

    page = client.get(link)
    assert page.status_code == 200 and "Prendre la place" in text(page)
    assert statuses(app, session_id)[1] == "offered"  # GET changes nothing
    claimed = post_form(client, link, token_page=link)
    assert claimed.status_code == 200 and "La place est à vous" in text(claimed)
    assert statuses(app, session_id) == ["cancelled", "registered", "waiting"]
    confirmation = messages_to(app, email_of(app, people[1]))[-1]
    assert any(part.get_filename() == "invitation.ics" for part in confirmation.iter_attachments())

    again = post_form(client, link, token_page="/trainings/verify/x")
    assert again.status_code == 409 and "déjà à vous" in text(again)


def test_an_expired_offer_lapses_and_passes_to_the_next_person(app, client):
    session_id, people, regs = full_session(app)
    cancel(app, people[0], regs[0])
    first_link = link_in(messages_to(app, email_of(app, people[1]))[-1], "/trainings/claim/")
    update_registration(app, regs[1], offer_expires_at=utcnow() - timedelta(minutes=1))

    refused = client.get(first_link)
    assert refused.status_code == 200 and "Cette offre a expiré le" in text(refused)
    with app.app_context():
        assert offers.expire_offers() == 1
        assert offers.expire_offers() == 0  # run again: nothing more
    assert statuses(app, session_id) == ["cancelled", "lapsed", "offered"]
    lapsed_mail = messages_to(app, email_of(app, people[1]))[-1]
    assert "Offre de place expirée" in lapsed_mail["Subject"]
    assert messages_to(app, email_of(app, people[2]))[-1]["Subject"].startswith("Une place pour vous")

    passed = post_form(client, first_link, token_page="/trainings/verify/x")
    assert passed.status_code == 409 and "plus ouverte" in text(passed)
    assert statuses(app, session_id) == ["cancelled", "lapsed", "offered"]


def test_the_sweep_runs_the_expiry(app):
    session_id, people, regs = full_session(app, waiting=1)
    cancel(app, people[0], regs[0])
    update_registration(app, regs[1], offer_expires_at=utcnow() - timedelta(minutes=1))
    with app.app_context():
        result = sweep()
    assert "training.offers" in result.tasks
    assert statuses(app, session_id) == ["cancelled", "lapsed"]


@pytest.mark.parametrize("tamper", ["forged", "tampered", "old offer"])
def test_a_bad_claim_link_is_refused_with_a_clear_page(app, client, tamper):
    session_id, people, regs = full_session(app, waiting=1)
    cancel(app, people[0], regs[0])
    link = link_in(messages_to(app, email_of(app, people[1]))[-1], "/trainings/claim/")
    if tamper == "forged":
        link = "/trainings/claim/eyJyIjoxLCJ2IjoxfQ.aaaa.bbbb"
    elif tamper == "tampered":
        link = link[:-3] + ("aaa" if not link.endswith("aaa") else "bbb")
    else:
        update_registration(app, regs[1], offer_version=5)
    page = client.get(link)
    assert page.status_code == 404 and "Ce lien n’est pas valide" in text(page)
    posted = post_form(client, link, token_page="/trainings/verify/x")
    assert posted.status_code == 404
    assert statuses(app, session_id)[1] == "offered"


def test_a_partner_claims_from_their_own_page(app, client):
    session_id, people, regs = full_session(app, waiting=1)
    cancel(app, people[0], regs[0])
    logged_in(client, email_of(app, people[1]))
    mine = client.get("/training/mine")
    assert "Places qui vous sont offertes" in text(mine)
    with app.app_context():
        ref = db.session.get(Registration, regs[1]).ref
    response = post_form(client, f"/training/registrations/{ref}/claim", token_page="/training/mine")
    assert response.status_code == 302
    assert statuses(app, session_id)[1] == "registered"


def test_cancelling_a_waiting_place_shifts_the_others(app):
    session_id, people, regs = full_session(app, waiting=3)
    cancel(app, people[1], regs[1])
    assert statuses(app, session_id) == ["registered", "cancelled", "waiting", "waiting"]
    with app.app_context():
        assert [waitlist.position(db.session.get(Registration, r)) for r in regs[2:]] == [1, 2]


def test_the_cancellation_deadline(app, client):
    session_id = make_session(app, days=1, cancel_hours_before=48)
    someone = partner(app)
    reg = register(app, someone, session_id)
    with app.app_context(), pytest.raises(ServiceError) as caught:
        cancellation.cancel(person(someone), db.session.get(Registration, reg).ref)
    assert "Les annulations sont fermées depuis le" in str(caught.value.message)
    assert "écrivez à la coordination" in str(caught.value.message)
    assert statuses(app, session_id) == ["registered"]

    logged_in(client, email_of(app, someone))
    with app.app_context():
        ref = db.session.get(Registration, reg).ref
    page = post_form(client, f"/training/registrations/{ref}/cancel", token_page="/training/mine")
    assert page.status_code == 400 and "Les annulations sont fermées" in text(page)

    boss = coordinator(app)
    cancel(app, boss, reg)
    assert statuses(app, session_id) == ["cancelled"]


def test_cancelling_before_the_deadline_after_a_confirmation_page(app, client):
    session_id = make_session(app, days=10)
    someone = partner(app)
    reg = register(app, someone, session_id)
    logged_in(client, email_of(app, someone))
    with app.app_context():
        ref = db.session.get(Registration, reg).ref
    url = f"/training/registrations/{ref}/cancel"
    step = client.get(url)
    assert step.status_code == 200 and "Annuler cette inscription" in text(step)
    assert statuses(app, session_id) == ["registered"]
    assert post_form(client, url, token_page=url).status_code == 302
    assert statuses(app, session_id) == ["cancelled"]


def test_prerequisites_name_the_missing_module_until_attended(app):
    initial = make_module(app, title_fr="L'entretien motivationnel — formation initiale")
    continuing = make_module(app, requires=(initial,))
    session_id = make_session(app, continuing)
    someone = partner(app)
    message = refusal(app, someone, session_id)
    expected = (
        "Cette formation demande d'avoir suivi «\u00a0L'entretien motivationnel — formation initiale\u00a0»."
    )
    assert message == expected
    assert statuses(app, session_id) == []

    boss = coordinator(app)
    with app.app_context(), pytest.raises(ServiceError):
        registration.register_other(person(boss), session_id, someone)

    past = make_session(app, initial, days=-30, opens=utcnow() - timedelta(days=60))
    with app.app_context():
        db.session.add(
            Registration(session_id=past, person_id=someone, status="registered", attendance="present")
        )
        db.session.commit()
    register(app, someone, session_id)
    assert statuses(app, session_id) == ["registered"]


def test_the_per_organization_limit(app):
    session_id = make_session(app, capacity=10, per_organization_limit=2)
    organization = partner_org(app)
    colleagues = [partner(app, organization) for _ in range(3)]
    register(app, colleagues[0], session_id)
    register(app, colleagues[1], session_id)
    assert "au plus" in refusal(app, colleagues[2], session_id)
    register(app, partner(app), session_id)  # another organization
    assert statuses(app, session_id) == ["registered"] * 3


def test_double_registration_is_refused(app):
    session_id = make_session(app)
    someone = partner(app)
    register(app, someone, session_id)
    assert refusal(app, someone, session_id) == "Cette personne est déjà inscrite à cette séance."
    boss = coordinator(app)
    with app.app_context(), pytest.raises(ServiceError) as caught:
        registration.register_other(person(boss), session_id, someone)
    assert "déjà inscrite" in str(caught.value.message)
    assert statuses(app, session_id) == ["registered"]


def test_registration_dates(app, client):
    later = make_session(app, opens=utcnow() + timedelta(days=2))
    closed = make_session(app, opens=utcnow() - timedelta(days=5), closes=utcnow() - timedelta(days=1))
    someone = partner(app)
    assert refusal(app, someone, later).startswith("Les inscriptions ouvrent le ")
    assert refusal(app, someone, closed).startswith("Les inscriptions ont fermé le ")
    logged_in(client, email_of(app, someone))
    ref = session_ref(app, closed)
    page = post_form(client, f"/training/sessions/{ref}/register", token_page="/training/mine")
    assert page.status_code == 400 and "Les inscriptions ont fermé le" in text(page)
    assert statuses(app, closed) == []


def test_the_coordinator_registers_someone_in_their_language(app, client):
    session_id = make_session(app)
    english = partner(app, language="en")
    boss = coordinator(app)
    logged_in(client, email_of(app, boss))
    ref = session_ref(app, session_id)
    url = f"/training/sessions/{ref}/register-someone"
    assert client.get(url).status_code == 200
    bad = post_form(client, url, {"person": "0"}, token_page=url)
    assert bad.status_code == 400
    done = post_form(client, url, {"person": str(english)}, token_page=url)
    assert done.status_code == 302
    rows = registrations(app, session_id)
    assert [(r.person_id, r.status, r.language, r.registered_by_id) for r in rows] == [
        (english, "registered", "en", boss)
    ]
    assert messages_to(app, email_of(app, english))[-1]["Subject"].startswith("Registered:")


def test_permissions(app, client):
    session_id = make_session(app)
    researcher = partner(app, roles=("researcher",))
    outsider = make_person(
        app, roles=("intervenant",), organization_id=make_organization(app, is_partner=False)
    )
    ref = session_ref(app, session_id)
    for who in (researcher, outsider):
        browser = logged_in(app.test_client(), email_of(app, who))
        page = post_form(browser, f"/training/sessions/{ref}/register", token_page="/")
        assert page.status_code == 403
    assert statuses(app, session_id) == []

    owner, other = partner(app), partner(app)
    reg = register(app, owner, session_id)
    with app.app_context():
        reg_ref = db.session.get(Registration, reg).ref
    stranger = logged_in(app.test_client(), email_of(app, other))
    assert stranger.get(f"/training/registrations/{reg_ref}/cancel").status_code == 403
    assert post_form(stranger, f"/training/registrations/{reg_ref}/cancel", token_page="/").status_code == 403
    assert statuses(app, session_id) == ["registered"]
    boss = logged_in(app.test_client(), email_of(app, coordinator(app)))
    assert post_form(boss, f"/training/registrations/{reg_ref}/cancel", token_page="/").status_code == 302
    assert statuses(app, session_id) == ["cancelled"]


def test_the_reminder_two_days_before_goes_once(app):
    session_id = make_session(app, days=1.5)
    someone = partner(app)
    register(app, someone, session_id)
    with app.app_context():
        assert reminders.queue_reminders() == 1
        db.session.commit()
        assert reminders.queue_reminders() == 0
    reminder = messages_to(app, email_of(app, someone))[-1]
    assert reminder["Subject"].startswith("Rappel\u00a0:")


def test_the_register_box_mine_page_and_home_card(app, client):
    session_id, people, regs = full_session(app, waiting=1)
    newcomer = partner(app)
    with app.app_context():
        from coord.training.models import TrainingSession
        from coord.training.registration_pages import register_box

        session = db.session.get(TrainingSession, session_id)
        box = register_box(person(newcomer), session)
        assert (box.seats_left, box.waiting, box.can_register, box.joins_waiting) == (0, 1, True, True)
        own = register_box(person(people[1]), session)
        assert own.mine.id == regs[1] and own.position == 1 and own.can_cancel
        assert register_box(person(partner(app, roles=("researcher",))), session) is None
    logged_in(client, email_of(app, people[1]))
    mine = text(client.get("/training/mine"))
    assert "Sur la liste d'attente" in mine and "Rang sur la liste d'attente\u00a0: 1" in mine
    home = text(client.get("/"))
    assert "Sur 1 liste d'attente." in home


def test_raising_the_capacity_offers_the_new_seats(app):
    session_id, people, regs = full_session(app, waiting=3)
    update_session(app, session_id, capacity=3)
    with app.app_context():
        offered = waitlist.promote(session_id)
        db.session.commit()
        assert [r.id for r in offered] == regs[1:3]
    assert statuses(app, session_id) == ["registered", "offered", "offered", "waiting"]
    assert messages_to(app, email_of(app, people[2]))[-1]["Subject"].startswith("Une place pour vous")


def test_registering_from_the_session_page(app, client):
    session_id = make_session(app, capacity=1)
    first, second = partner(app), partner(app)
    ref = session_ref(app, session_id)
    for who, expected in ((first, "Vous êtes inscrit·e."), (second, "liste d'attente, au rang 1")):
        browser = logged_in(app.test_client(), email_of(app, who))
        page = text(browser.get(f"/training/sessions/{ref}"))
        assert f'action="/training/sessions/{ref}/register"' in page
        response = post_form(
            browser, f"/training/sessions/{ref}/register", token_page=f"/training/sessions/{ref}"
        )
        assert response.status_code == 302 and response.location.endswith(f"/training/sessions/{ref}")
        assert expected in text(browser.get(f"/training/sessions/{ref}"))
    assert statuses(app, session_id) == ["registered", "waiting"]
