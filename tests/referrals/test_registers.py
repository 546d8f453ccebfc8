"""The register of disclosures: who may read it, what it shows, its filters, its CSV export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from coord import audit
from coord.core.localtime import local_today
from coord.core.permissions import PermissionDenied
from coord.directory.models import Organization, Person
from coord.extensions import db
from coord.referrals import registers
from coord.referrals.models import ConfidentialityIncident, Participant, Purpose
from tests.directory.factories import email_of, make_organization, make_person
from tests.referrals.factories import (
    registers_consent,
    registers_disclosure,
    registers_participant,
    registers_people,
)
from tests.support import logged_in, post_form, text


def _incident(app) -> str:
    with app.app_context():
        incident = ConfidentialityIncident(
            data_concerned="Codes",
            circumstances="Courriel mal adressé",
            occurred_on=local_today(),
            discovered_on=local_today(),
            people_count=1,
            risk_level="low",
        )
        db.session.add(incident)
        db.session.commit()
        return incident.ref


def _denials(app, person_id: int) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(audit.AuditEntry.detail).where(
                    audit.AuditEntry.action == "permission.denied", audit.AuditEntry.actor_id == person_id
                )
            )
        )


def _other_role(app, role: str) -> int:
    if role == "police":
        police = make_organization(app, is_partner=True, sector="police")
        return make_person(app, roles=("intervenant",), organization_id=police)
    return make_person(app, roles=(role,), organization_id=make_organization(app, is_partner=True))


@pytest.mark.parametrize("role", ["intervenant", "police", "partner", "researcher", "admin"])
def test_registers_are_the_coordinators_only(app, client, role):
    people = registers_people(app)
    participant = registers_participant(app, people["intervenant"])
    registers_disclosure(app, participant, people["other"])
    ref = _incident(app)
    person_id = _other_role(app, role)
    logged_in(client, email_of(app, person_id))
    for url in (
        "/registers/",
        "/registers/disclosures",
        "/registers/disclosures?purpose=referral",
        "/registers/disclosures.csv",
        "/registers/incidents",
        "/registers/incidents/new",
        f"/registers/incidents/{ref}",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "SPH-2020" not in text(response)
    for url in ("/registers/incidents/new", f"/registers/incidents/{ref}"):
        response = post_form(client, url, {"data_concerned": "x", "circumstances": "y"})
        assert response.status_code == 403, url
    denied = _denials(app, person_id)
    assert denied.count("referrals.registers.read") == 4
    assert denied.count("referrals.incidents.manage") == 5
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ConfidentialityIncident.id))) == 1


def test_the_register_lists_every_disclosure_newest_first_with_its_basis(app, client):
    people = registers_people(app)
    participant = registers_participant(app, people["intervenant"])
    given = local_today() - timedelta(days=30)
    consent = registers_consent(app, participant, [people["other"]], given_on=given)
    now = datetime.now(UTC)
    registers_disclosure(app, participant, people["other"], at=now - timedelta(days=2), consent_id=consent)
    registers_disclosure(
        app, participant, people["other"], at=now - timedelta(hours=1), consent_id=consent,
        what="referral", purpose=Purpose.FOLLOW_UP,
    )  # fmt: skip
    logged_in(client, email_of(app, people["coordinator"]))
    page = text(client.get("/registers/disclosures"))
    with app.app_context():
        code = db.session.get(Participant, participant).code
        other = db.session.get(Organization, people["other"]).short_name
        intervenant = db.session.get(Person, people["intervenant"]).display_name
    assert page.count(code) == 2 and other in page and intervenant in page
    assert page.index("Suivi") < page.index("Sommaire de la demande")  # newest first
    # Filters: purpose, organization, period.
    only_follow_up = text(client.get("/registers/disclosures?purpose=follow_up"))
    assert only_follow_up.count(code) == 1
    unrelated = make_organization(app, is_partner=True)
    assert code not in text(client.get(f"/registers/disclosures?organization={unrelated}"))
    last_week = (local_today() - timedelta(days=7)).isoformat()
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    assert code not in text(client.get(f"/registers/disclosures?since={last_week}&until={last_week}"))
    assert text(client.get(f"/registers/disclosures?since={yesterday}")).count(code) == 1
    # Bad filters: a form message, never a 500.
    assert client.get("/registers/disclosures?purpose=nothing").status_code == 400
    assert client.get("/registers/disclosures?organization=abc").status_code == 400
    backwards = client.get(f"/registers/disclosures?since={yesterday}&until={last_week}")
    assert backwards.status_code == 400 and "avant son début" in text(backwards)
    with app.app_context():
        reads = db.session.scalars(
            sa.select(audit.AuditEntry).where(audit.AuditEntry.action == "disclosures.read")
        ).all()
    assert len(reads) == 5 and all(entry.actor_id == people["coordinator"] for entry in reads)
    assert any("purpose=follow_up" in entry.detail for entry in reads)


def test_the_csv_export_neutralizes_formulas_and_keeps_the_filters(app, client):
    people = registers_people(app)
    with app.app_context():
        db.session.get(Person, people["intervenant"]).display_name = '=HYPERLINK("http://x.test","clic")'
        db.session.get(Organization, people["other"]).short_name = "+ORG"
        db.session.commit()
    participant = registers_participant(app, people["intervenant"])
    registers_disclosure(app, participant, people["other"])
    third = make_organization(app, is_partner=True, short_name="@TIERS")
    registers_disclosure(app, participant, third, purpose=Purpose.CASE_CONFERENCE, what="conference")
    logged_in(client, email_of(app, people["coordinator"]))
    response = client.get("/registers/disclosures.csv?purpose=referral")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="registre-communications-{local_today().isoformat()}.csv"'
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 2  # the header and the one referral line (the filter holds)
    line = rows[1]
    assert "'+ORG" in line and '\'=HYPERLINK("http://x.test","clic")' in line
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    everything = client.get("/registers/disclosures.csv").get_data(as_text=True)
    assert "'@TIERS" in everything
    with app.app_context():
        exports = db.session.scalars(
            sa.select(audit.AuditEntry.detail).where(audit.AuditEntry.action == "disclosures.export.read")
        ).all()
    assert len(exports) == 2 and "rows=1" in exports[0]


def test_neutralized_cells():
    assert registers.neutralized("=1+1") == "'=1+1"
    assert registers.neutralized("-2") == "'-2"
    assert registers.neutralized("@SUM(A1)") == "'@SUM(A1)"
    assert registers.neutralized("\t=1") == "'\t=1"
    assert registers.neutralized("SPH-2026-0001") == "SPH-2026-0001"
    assert registers.neutralized(None) == ""


def test_a_participants_own_disclosures(app):
    people = registers_people(app)
    participant = registers_participant(app, people["intervenant"])
    registers_disclosure(app, participant, people["other"])
    stranger = make_person(app, roles=("intervenant",), organization_id=people["home"])
    with app.app_context():
        lines = registers.disclosures_of(db.session.get(Person, people["intervenant"]), participant)
        assert [line.what for line in lines] == ["referral_summary"]
        assert len(registers.disclosures_of(db.session.get(Person, people["coordinator"]), participant)) == 1
        with pytest.raises(PermissionDenied):
            registers.disclosures_of(db.session.get(Person, stranger), participant)
        subjects = db.session.scalars(
            sa.select(audit.AuditEntry.action).where(audit.AuditEntry.subject == f"participant:{participant}")
        ).all()
    assert sorted(subjects) == [
        "participant.disclosures.read",
        "participant.disclosures.read",
        "permission.denied",
    ]


def test_purges_are_listed_on_the_registers_page(app, client):
    from coord.referrals.purge import purge_participants

    people = registers_people(app)
    with app.app_context():
        purge_participants()
    logged_in(client, email_of(app, people["coordinator"]))
    page = text(client.get("/registers/"))
    assert 'id="purges"' in page and "automatique" in page
    assert "Registres" in page  # the menu entry
