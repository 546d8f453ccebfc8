"""Who reads a referral: the summary for the receiving intake while it waits, the whole referral for the
sending side and, once accepted, for the receiving intake only; every read and refusal audited; access of
the receiving side ends on decline, withdrawal, closing, suspension and a withdrawn consent."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coord.extensions import db
from coord.referrals.models import Consent, Referral
from tests.directory.factories import make_person
from tests.referrals.referral_factories import (
    referral_client,
    referral_sent,
    referral_world,
)
from tests.referrals.referral_support import referral_audit, referral_disclosures
from tests.support import post_form, text

NOTE = "fugue récente"


def answer(client, ref, action, data=None):
    return post_form(client, f"/referrals/{ref}/{action}", data or {}, token_page="/referrals/incoming")


def test_the_intake_sees_a_summary_then_the_whole_referral_once_accepted(app):
    world = referral_world(app)
    ref = referral_sent(app, world)
    intake = referral_client(app, world.intake)
    page = text(intake.get(f"/referrals/{ref}"))
    assert "SPH-2026-" in page and "14-17" in page and "Suivi individuel" in page
    assert NOTE not in page and "Réduction des méfaits" not in page  # no note, no needs
    assert "Accepter" in page
    assert [e.subject for e in referral_audit(app, "referral.summary.read")] == [
        f"participant:{world.participant}"
    ]
    assert answer(intake, ref, "accept").status_code == 302
    page = text(intake.get(f"/referrals/{ref}"))
    assert NOTE in page and "Réduction des méfaits" in page
    assert len(referral_audit(app, "referral.read")) == 1
    assert [line[0] for line in referral_disclosures(app)] == ["referral_summary", "referral"]


def test_the_sending_side_reads_the_whole_referral(app):
    world = referral_world(app)
    ref = referral_sent(app, world)
    page = text(referral_client(app, world.sender).get(f"/referrals/{ref}"))
    assert NOTE in page and "Retirer la référence" in page
    assert len(referral_audit(app, "referral.read")) == 1


def test_an_organization_that_saw_only_the_summary_cannot_open_the_whole_referral(app):
    """Declined after the summary: the intake's next read is a 403, audited."""
    world = referral_world(app)
    ref = referral_sent(app, world)
    intake = referral_client(app, world.intake)
    assert intake.get(f"/referrals/{ref}").status_code == 200
    assert answer(intake, ref, "decline", {"reason": "no_capacity", "note": ""}).status_code == 302
    response = intake.get(f"/referrals/{ref}")
    assert response.status_code == 403 and NOTE not in text(response)
    denied = referral_audit(app, "permission.denied")
    assert denied[-1].actor_id == world.intake and denied[-1].subject == f"participant:{world.participant}"
    assert referral_audit(app, "referral.read") == []


def test_a_colleague_of_the_receiving_organization_who_is_not_its_intake_is_refused(app):
    world = referral_world(app)
    ref = referral_sent(app, world)
    colleague = referral_client(app, world.colleague)
    for state in ("sent", "accepted"):
        if state == "accepted":
            assert answer(referral_client(app, world.intake), ref, "accept").status_code == 302
        response = colleague.get(f"/referrals/{ref}")
        assert response.status_code == 403, state
        assert NOTE not in text(response)
    denied = referral_audit(app, "permission.denied")
    assert len([e for e in denied if e.actor_id == world.colleague]) == 2


def test_nobody_else_reads_it(app):
    world = referral_world(app)
    ref = referral_sent(app, world)
    for person in (
        world.coordinator,
        make_person(app, roles=("admin",)),
        make_person(app, roles=("researcher",)),
    ):
        assert referral_client(app, person).get(f"/referrals/{ref}").status_code == 403
    assert referral_client(app, world.sender).get("/referrals/AAAAAAAAAAAAAAAA").status_code == 404


def _end(app, world, ref, how):
    intake = referral_client(app, world.intake)
    sender = referral_client(app, world.sender)
    if how == "declined":
        assert answer(intake, ref, "decline", {"reason": "other", "note": "Pas de place"}).status_code == 302
        return
    if how in ("withdrawn_after_accept", "closed", "suspended", "consent_withdrawn"):
        assert answer(intake, ref, "accept").status_code == 302
    if how in ("withdrawn", "withdrawn_after_accept"):
        response = post_form(sender, f"/referrals/{ref}/withdraw", {}, token_page=f"/referrals/{ref}")
        assert response.status_code == 302
    elif how == "closed":
        data = {"outcome": "services_given", "feedback": "Suivi terminé"}
        assert answer(intake, ref, "close", data).status_code == 302
    elif how == "suspended":
        with app.app_context():
            referral = db.session.query(Referral).filter_by(ref=ref).one()
            referral.state, referral.suspended_at = "suspended", datetime.now(UTC)
            db.session.commit()
    elif how == "consent_withdrawn":
        with app.app_context():
            db.session.get(Consent, world.consent).withdrawn_at = datetime.now(UTC)
            db.session.commit()


@pytest.mark.parametrize(
    "how", ["declined", "withdrawn", "withdrawn_after_accept", "closed", "suspended", "consent_withdrawn"]
)
def test_the_receiving_side_loses_access_when_the_referral_ends(app, how):
    world = referral_world(app)
    ref = referral_sent(app, world)
    _end(app, world, ref, how)
    intake = referral_client(app, world.intake)
    response = intake.get(f"/referrals/{ref}")
    assert response.status_code == 403 and NOTE not in text(response)
    incoming = text(intake.get("/referrals/incoming"))
    assert "SPH-2026-" not in incoming
    if how != "consent_withdrawn":
        assert referral_client(app, world.sender).get(f"/referrals/{ref}").status_code == 200
