"""The lists: incoming (overdue first, summary only), sent, the coordinator's board (no content, links only
where the reader may read the whole referral, filters), the menu; and naming intake people."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from coord.extensions import db
from coord.referrals.models import IntakePerson, Referral
from tests.directory.factories import make_organization, make_person
from tests.referrals.referral_factories import (
    referral_client,
    referral_consent,
    referral_participant,
    referral_sent,
    referral_world,
)
from tests.referrals.referral_support import referral_audit
from tests.support import post_form, text

NOTE = "fugue récente"


def make_overdue(app, ref):
    with app.app_context():
        referral = db.session.scalar(sa.select(Referral).where(Referral.ref == ref))
        referral.due_at = datetime.now(UTC) - timedelta(hours=1)
        db.session.commit()


def test_incoming_lists_overdue_first_with_summary_fields_only(app):
    world = referral_world(app)
    first = referral_sent(app, world, urgency="routine")
    second = referral_sent(app, world, urgency="within_72_hours")  # not the same one sent twice
    make_overdue(app, second)
    page = text(referral_client(app, world.intake).get("/referrals/incoming"))
    assert page.index(second) < page.index(first)
    assert "En retard" in page and NOTE not in page and "Réduction des méfaits" not in page
    assert len(referral_audit(app, "referral.incoming.read")) == 2
    # A colleague of the receiving organization (not intake) sees none of them.
    colleague_page = text(referral_client(app, world.colleague).get("/referrals/incoming"))
    assert first not in colleague_page and "SPH-" not in colleague_page


def test_sent_lists_the_senders_referrals(app):
    world = referral_world(app)
    ref = referral_sent(app, world)
    page = text(referral_client(app, world.sender).get("/referrals/sent"))
    assert ref in page and NOTE not in page
    assert "SPH-" not in text(referral_client(app, world.intake).get("/referrals/sent"))


def test_the_board_shows_codes_states_dates_and_the_overdue_list_but_no_content(app):
    world = referral_world(app)
    ref = referral_sent(app, world)
    late = referral_sent(app, world)
    make_overdue(app, late)
    intake = referral_client(app, world.intake)
    post_form(intake, f"/referrals/{ref}/decline", {"reason": "other", "note": "Note de refus"}, "/")
    coordinator = referral_client(app, world.coordinator)
    page = text(coordinator.get("/referrals/board"))
    assert "SPH-2026-" in page and "Refusée" in page and "En attente de réponse" in page
    for secret in (NOTE, "Note de refus", "Réduction des méfaits", "Suivi individuel"):
        assert secret not in page, secret
    assert f"/referrals/{ref}" not in page and f"/referrals/{late}" not in page  # no link to content
    overdue = page.split('id="overdue"')[1].split("</table>")[0]
    assert overdue.count("<tr>") == 2  # the header and the late one
    filtered = text(coordinator.get("/referrals/board?state=declined"))
    assert filtered.split('id="board"')[1].count("Refusée") == 1
    assert "En attente de réponse</td>" not in filtered
    other = make_organization(app, is_partner=True)
    by_org = text(coordinator.get(f"/referrals/board?organization={other}"))
    assert "Aucune référence." in by_org
    assert coordinator.get("/referrals/board?state=bogus").status_code == 400
    assert coordinator.get("/referrals/board?organization=-1").status_code == 400
    assert referral_audit(app, "referral.board.read")


def test_the_board_links_where_the_coordinator_may_read(app):
    """A coordinator who holds the participant's file is the sending side: the board links to it."""
    world = referral_world(app)
    with app.app_context():
        from coord.directory.models import Person

        coordination = db.session.get(Person, world.coordinator).organization_id
    participant = referral_participant(app, coordination, world.coordinator)
    referral_consent(app, participant, [world.receiver_org])
    with app.app_context():
        from coord.referrals.models import Participant

        world.participant_ref = db.session.get(Participant, participant).ref
        world.sender = world.coordinator
    ref = referral_sent(app, world)
    page = text(referral_client(app, world.coordinator).get("/referrals/board"))
    assert f"/referrals/{ref}" in page


def test_only_the_coordinator_sees_the_board_and_the_menu_follows_the_rules(app):
    world = referral_world(app)
    for person in (world.sender, world.intake):
        assert referral_client(app, person).get("/referrals/board").status_code == 403
    coordinator = text(referral_client(app, world.coordinator).get("/"))
    assert "Tableau des références" in coordinator
    intake_home = text(referral_client(app, world.intake).get("/"))
    assert "/referrals/incoming" in intake_home and "Tableau des références" not in intake_home
    outsider = make_person(app, roles=("requester",))
    assert "/referrals/incoming" not in text(referral_client(app, outsider).get("/"))
    assert referral_client(app, outsider).get("/referrals/incoming").status_code == 403


# Intake people -----------------------------------------------------------------------------------------


def intake_rows(app, organization_id):
    with app.app_context():
        return sorted(
            db.session.scalars(
                sa.select(IntakePerson.person_id).where(IntakePerson.organization_id == organization_id)
            )
        )


def test_the_coordinator_names_and_removes_intake_people(app):
    world = referral_world(app)
    coordinator = referral_client(app, world.coordinator)
    page = text(coordinator.get("/referrals/intake"))
    assert "Personnes à l'accueil" in page
    data = {"organization_id": str(world.receiver_org), "person_id": str(world.colleague)}
    assert post_form(coordinator, "/referrals/intake", data, "/referrals/intake").status_code == 302
    assert intake_rows(app, world.receiver_org) == sorted([world.intake, world.colleague])
    # Anyone else: a person of another organization, an inactive person, an unknown one, twice the same.
    inactive = make_person(app, organization_id=world.receiver_org, active=False)
    for person in (world.sender, inactive, 999999, world.colleague):
        data = {"organization_id": str(world.receiver_org), "person_id": str(person)}
        assert post_form(coordinator, "/referrals/intake", data, "/referrals/intake").status_code == 400
    outsider_org = make_organization(app, is_partner=False)
    outsider = make_person(app, organization_id=outsider_org)
    data = {"organization_id": str(outsider_org), "person_id": str(outsider)}
    assert post_form(coordinator, "/referrals/intake", data, "/referrals/intake").status_code == 400
    assert intake_rows(app, world.receiver_org) == sorted([world.intake, world.colleague])
    with app.app_context():
        row = db.session.scalar(sa.select(IntakePerson.id).where(IntakePerson.person_id == world.colleague))
    assert "Retirer cette personne" in text(coordinator.get(f"/referrals/intake/{row}/remove"))
    assert (
        post_form(coordinator, f"/referrals/intake/{row}/remove", {}, "/referrals/intake").status_code == 302
    )
    assert intake_rows(app, world.receiver_org) == [world.intake]
    assert [e.action for e in referral_audit(app) if e.action.startswith("intake.")] == [
        "intake.add",
        "intake.remove",
    ]


def test_others_cannot_manage_intake_people(app):
    world = referral_world(app)
    intake = referral_client(app, world.intake)
    assert intake.get("/referrals/intake").status_code == 403
    data = {"organization_id": str(world.receiver_org), "person_id": str(world.colleague)}
    assert post_form(intake, "/referrals/intake", data, "/").status_code == 403
    assert intake_rows(app, world.receiver_org) == [world.intake]
