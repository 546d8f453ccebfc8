"""Accept, decline, withdraw, close: each a compare-and-set (two at once never both win), a clear message
(409) to the one too late, never a 500; the other side told by a bare e-mail; disclosure lines."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from coord.directory.models import Person
from coord.extensions import db
from coord.referrals import referrals
from coord.referrals.models import Referral
from tests.referrals.referral_factories import (
    referral_client,
    referral_intake,
    referral_sent,
    referral_state,
    referral_world,
)
from tests.referrals.referral_support import referral_audit, referral_disclosures, referral_outbox
from tests.support import post_form, text


def answer(client, ref, action, data=None):
    return post_form(client, f"/referrals/{ref}/{action}", data or {}, token_page="/referrals/incoming")


def withdraw(client, ref):
    return post_form(client, f"/referrals/{ref}/withdraw", {}, token_page="/referrals/sent")


def test_withdraw_then_accept_gives_the_clear_message(app):
    world = referral_world(app)
    ref = referral_sent(app, world)
    assert withdraw(referral_client(app, world.sender), ref).status_code == 302
    intake = referral_client(app, world.intake)
    for _ in range(2):  # a withdrawn referral accepted twice: the message each time, never a 500
        response = answer(intake, ref, "accept")
        assert response.status_code == 409
        assert "Cette référence a été retirée par l'organisme qui l'a envoyée." in text(response)
    assert referral_state(app, ref) == "withdrawn"
    assert referral_audit(app, "referral.accept") == []


def test_the_compare_and_set_refuses_a_stale_accept(app):
    """The intake loaded the referral while it waited; the sender withdrew it meanwhile (another
    connection): the UPDATE ... WHERE state = 'sent' matches no row, and nothing else is written."""
    world = referral_world(app)
    ref = referral_sent(app, world)
    with app.test_request_context():
        stale = db.session.scalar(sa.select(Referral).where(Referral.ref == ref))
        assert stale.state == "sent"
        with db.engine.begin() as other:
            other.execute(sa.update(Referral).where(Referral.ref == ref).values(state="withdrawn"))
        intake = db.session.get(Person, world.intake)
        with pytest.raises(referrals.ReferralConflict) as refused:
            referrals.accept(intake, ref)
        assert "retirée" in str(refused.value.message)
    assert referral_state(app, ref) == "withdrawn"
    assert [line[0] for line in referral_disclosures(app)] == ["referral_summary"]
    assert referral_audit(app, "referral.accept") == []


def test_accepting_twice_then_declining_gives_messages(app):
    world = referral_world(app)
    ref = referral_sent(app, world)
    intake = referral_client(app, world.intake)
    assert answer(intake, ref, "accept").status_code == 302
    response = answer(intake, ref, "accept")
    assert response.status_code == 409 and "déjà été acceptée" in text(response)
    response = answer(intake, ref, "decline", {"reason": "no_capacity"})
    assert response.status_code == 409
    assert referral_state(app, ref) == "accepted"
    assert len(referral_audit(app, "referral.accept")) == 1


def test_two_accepts_at_the_same_moment_exactly_one_wins(app):
    """Two intake people, two threads, two connections, both having read the referral waiting: exactly one
    wins (on PostgreSQL the second UPDATE waits for the first's row lock, then matches no row)."""
    world = referral_world(app)
    referral_intake(app, world.receiver_org, world.colleague)  # two intake people answer at once
    ref = referral_sent(app, world)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def run(person_id):
        with app.test_request_context():
            person = db.session.get(Person, person_id)
            db.session.scalar(sa.select(Referral).where(Referral.ref == ref))  # both see it waiting
            barrier.wait()
            try:
                referrals.accept(person, ref)
                results.append("won")
            except referrals.ReferralConflict:
                results.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(p,)) for p in (world.intake, world.colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["conflict", "won"]
    assert len(referral_audit(app, "referral.accept")) == 1
    assert [line[0] for line in referral_disclosures(app)] == ["referral_summary", "referral"]


def test_decline_needs_a_coded_reason_and_a_note_for_other(app):
    world = referral_world(app)
    ref = referral_sent(app, world)
    intake = referral_client(app, world.intake)
    assert answer(intake, ref, "decline", {"reason": "bogus"}).status_code == 400
    assert answer(intake, ref, "decline", {"reason": ""}).status_code == 400
    response = answer(intake, ref, "decline", {"reason": "other", "note": ""})
    assert response.status_code == 400 and "Précisez le motif" in text(response)
    assert referral_state(app, ref) == "sent"
    assert answer(intake, ref, "decline", {"reason": "other", "note": "Hors territoire"}).status_code == 302
    with app.app_context():
        referral = db.session.scalar(sa.select(Referral).where(Referral.ref == ref))
        assert (referral.state, referral.decline_reason, referral.decline_note) == (
            "declined",
            "other",
            "Hors territoire",
        )
        assert referral.answered_by_id == world.intake
    sender_page = text(referral_client(app, world.sender).get(f"/referrals/{ref}"))
    assert "Hors territoire" in sender_page


def test_each_transition_tells_the_other_side_without_detail(app):
    world = referral_world(app)
    ref = referral_sent(app, world)
    intake = referral_client(app, world.intake)
    sender = referral_client(app, world.sender)
    assert answer(intake, ref, "accept").status_code == 302
    data = {"outcome": "services_given", "feedback": "Rétroaction confidentielle"}
    assert answer(intake, ref, "close", data).status_code == 302
    messages = referral_outbox(app)
    assert [(m.template, m.person_id) for m in messages] == [
        ("referrals/referral_waiting", world.intake),
        ("referrals/referral_updated", world.sender),
        ("referrals/referral_updated", world.sender),
    ]
    for message in messages:
        assert set(message.context) == {"url"} and message.context["url"].endswith(f"/referrals/{ref}")
    assert referral_disclosures(app)[-1] == (
        "follow_up",
        "follow_up",
        world.receiver_org,
        world.sender_org,
        None,  # back to the organization that holds the file: no consent is the basis
    )
    page = text(sender.get(f"/referrals/{ref}"))
    assert "Rétroaction confidentielle" in page and "Services rendus" in page
    # Closed: nothing more to do for anyone.
    assert withdraw(sender, ref).status_code == 409


def test_withdraw_tells_the_intake_and_asks_for_confirmation(app):
    world = referral_world(app)
    ref = referral_sent(app, world)
    sender = referral_client(app, world.sender)
    page = text(sender.get(f"/referrals/{ref}/withdraw"))
    assert "<h1>Retirer la référence" in page and "SPH-" not in page
    assert referral_client(app, world.intake).get(f"/referrals/{ref}/withdraw").status_code == 403
    assert withdraw(referral_client(app, world.intake), ref).status_code == 403
    assert withdraw(sender, ref).status_code == 302
    assert [(m.template, m.person_id) for m in referral_outbox(app)][-1] == (
        "referrals/referral_updated",
        world.intake,
    )


def test_the_sender_cannot_answer_and_the_intake_cannot_withdraw(app):
    world = referral_world(app)
    ref = referral_sent(app, world)
    assert answer(referral_client(app, world.sender), ref, "accept").status_code == 403
    assert answer(referral_client(app, world.colleague), ref, "accept").status_code == 403
    assert referral_state(app, ref) == "sent"
