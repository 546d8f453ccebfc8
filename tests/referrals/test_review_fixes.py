"""What a review of the referrals found, each kept fixed: no role combination reaches a participant for an
administrator or a researcher, the file stays with its organization, a follow-up disclosure names no
consent when it returns to the file's holder, the board's reads reach the participant's access log, an
organization holding an accepted referral sees the age band only, and a purged file's open referral ends."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from coord.core.errors import ServiceError
from coord.core.localtime import local_today
from coord.core.permissions import may
from coord.directory.models import Person
from coord.extensions import db
from coord.referrals import intake_admin
from coord.referrals.models import Participant, Referral, ReferralState
from coord.referrals.purge import purge_participants
from tests.referrals.participant_factories import (
    participants_client,
    participants_consent,
    participants_file,
    participants_intake,
    participants_intervenant,
    participants_log,
    participants_partner,
    participants_referral,
)


def _may(app, person_id: int, action: str, participant_id: int) -> bool:
    with app.app_context():
        return may(db.session.get(Person, person_id), action, db.session.get(Participant, participant_id))


@pytest.mark.parametrize("extra_role", ["admin", "researcher"])
def test_an_administrator_or_researcher_who_is_also_an_intervenant_never_reaches_a_participant(
    app, extra_role
):
    holder = participants_intervenant(app, roles=("intervenant", extra_role))
    participant_id, ref = participants_file(app, holder)
    assert not _may(app, holder, "referrals.participants.view", participant_id)
    assert participants_client(app, holder).get(f"/participants/{ref}").status_code == 403
    with app.app_context():
        assert not may(db.session.get(Person, holder), "referrals.participants.create")


def test_an_administrator_is_never_named_an_intake_person(app):
    organization = participants_partner(app)
    coordinator = participants_intervenant(app, organization_id=organization, roles=("coordinator",))
    admin = participants_intervenant(app, organization_id=organization, roles=("intervenant", "admin"))
    with app.app_context(), pytest.raises(ServiceError):
        intake_admin.add_intake(db.session.get(Person, coordinator), organization, admin)


def test_an_intervenant_who_moves_to_another_organization_leaves_the_file_behind(app):
    holder = participants_intervenant(app)
    participant_id, _ref = participants_file(app, holder)
    assert _may(app, holder, "referrals.participants.view", participant_id)
    with app.app_context():
        db.session.get(Person, holder).organization_id = participants_partner(app)
        db.session.commit()
    assert not _may(app, holder, "referrals.participants.view", participant_id)


def test_the_receiving_organization_sees_the_age_band_not_the_gender_or_the_criteria(app):
    holder = participants_intervenant(app)
    receiving = participants_partner(app)
    intake = participants_intervenant(app, organization_id=receiving)
    participant_id, ref = participants_file(app, holder, age=16, gender="two_spirit")
    participants_consent(app, participant_id, [receiving])
    participants_intake(app, receiving, intake)
    participants_referral(app, participant_id, receiving, state=ReferralState.ACCEPTED)
    mine = participants_client(app, holder).get(f"/participants/{ref}").get_data(as_text=True)
    theirs = participants_client(app, intake).get(f"/participants/{ref}").get_data(as_text=True)
    assert "Bispirituel" in mine and "<dd>16</dd>" in mine
    assert "Bispirituel" not in theirs and "<dd>16</dd>" not in theirs and "14-17" in theirs


def test_the_board_writes_each_referral_it_shows_into_the_participant_access_log(app):
    organization = participants_partner(app)
    coordinator = participants_intervenant(app, organization_id=organization, roles=("coordinator",))
    holder = participants_intervenant(app)
    participant_id, _ref = participants_file(app, holder)
    participants_referral(app, participant_id, organization, state=ReferralState.SENT)
    assert participants_client(app, coordinator).get("/referrals/board").status_code == 200
    read = participants_log(app, participant_id, "referral.board.read")
    assert [entry.actor_id for entry in read] == [coordinator]


def test_a_purged_file_leaves_no_referral_waiting(app):
    holder = participants_intervenant(app)
    receiving = participants_partner(app)
    participant_id, _ref = participants_file(
        app,
        holder,
        status="closed",
        closed_on=local_today() - timedelta(days=2000),
        closing_reason="goals_met",
    )
    referral_id = participants_referral(app, participant_id, receiving, state=ReferralState.SENT)
    with app.app_context():
        purge_participants()
        referral = db.session.get(Referral, referral_id)
        assert referral.state == ReferralState.SUSPENDED and referral.note == ""
        assert db.session.scalar(sa.select(Participant.code).where(Participant.id == participant_id)) is None


def test_the_access_page_lists_the_participant_disclosures(app):
    from tests.referrals.factories import registers_disclosure

    holder = participants_intervenant(app)
    receiving = participants_partner(app, short_name="RECEPT")
    participant_id, ref = participants_file(app, holder)
    client = participants_client(app, holder)
    assert "Rien n'a été communiqué." in client.get(f"/participants/{ref}/access").get_data(as_text=True)
    registers_disclosure(app, participant_id, receiving)
    page = client.get(f"/participants/{ref}/access").get_data(as_text=True)
    assert "Sommaire de la demande" in page and "<td>RECEPT</td>" in page
    assert participants_log(app, participant_id, "participant.disclosures.read")


def test_the_access_log_names_the_referral_actions_in_words(app):
    from tests.support import csrf_token

    holder = participants_intervenant(app)
    receiving = participants_partner(app)
    intake = participants_intervenant(app, organization_id=receiving)
    participant_id, ref = participants_file(app, holder)
    participants_consent(app, participant_id, [receiving])
    participants_intake(app, receiving, intake)
    referral_id = participants_referral(app, participant_id, receiving, state=ReferralState.SENT)
    with app.app_context():
        referral_ref = db.session.get(Referral, referral_id).ref
    client = participants_client(app, intake)
    client.get(f"/referrals/{referral_ref}")
    accepted = client.post(f"/referrals/{referral_ref}/accept", data={"csrf_token": csrf_token(client, "/")})
    assert accepted.status_code in (302, 303)
    log = participants_client(app, holder).get(f"/participants/{ref}/access").get_data(as_text=True)
    assert "Consultation du sommaire d'une référence" in log and "Acceptation d'une référence" in log
    assert "(referral." not in log  # no action shown by its code


def test_the_board_audits_every_row_in_one_statement(app):
    """Each referral shown is audited, and the audit writes as many statements for 6 rows as for 2."""
    from tests.support import counted_queries

    organization = participants_partner(app)
    coordinator = participants_intervenant(app, organization_id=organization, roles=("coordinator",))
    holder = participants_intervenant(app)
    receiving = participants_partner(app)
    client = participants_client(app, coordinator)

    def board_writes(more: int) -> int:
        for _ in range(more):
            participant_id, _ref = participants_file(app, holder)
            participants_consent(app, participant_id, [receiving])
            participants_referral(app, participant_id, receiving, state=ReferralState.ACCEPTED)
        with counted_queries(app) as counted:
            assert client.get("/referrals/board").status_code == 200
        return len([statement for statement in counted if statement.startswith("INSERT")])

    assert board_writes(2) == board_writes(4) == 1
    with app.app_context():
        from coord import audit

        shown = db.session.scalars(
            sa.select(audit.AuditEntry.subject).where(audit.AuditEntry.action == "referral.board.read")
        ).all()
    assert len(shown) == 2 + 6 and len(set(shown)) == 6
