"""The coordinator manages people, organizations and committees; bad input never gives a 500."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from coord.directory.models import CommitteeMembership, Organization, Person
from coord.extensions import db
from tests.directory.factories import email_of, make_committee, make_organization, make_person
from tests.support import logged_in, post_form, text


@pytest.fixture
def coordinator(app):
    return logged_in(app.test_client(), email_of(app, make_person(app, roles=("coordinator",))))


def person_form(organization, **overrides):
    data = {
        "email": "claire@example.org",
        "display_name": "Claire Gagnon",
        "organization_id": organization,
        "preferred_language": "fr",
        "roles": ["intervenant"],
    }
    data.update(overrides)
    return data


def test_create_list_edit_and_find_a_person(app, coordinator):
    organization_id = make_organization(app, name="Organisme Alpha", short_name="ALPHA")
    response = post_form(coordinator, "/people/new", person_form(organization_id))
    assert response.status_code == 302
    listing = text(coordinator.get("/people?q=gagnon"))
    assert "Claire Gagnon" in listing and "ALPHA" in listing
    assert "Claire Gagnon" not in text(coordinator.get("/people?q=zzz"))
    assert "Claire Gagnon" in text(coordinator.get("/people?role=intervenant"))
    assert "Claire Gagnon" in text(coordinator.get(f"/people?organization={organization_id}"))
    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.email == "claire@example.org"))
        person_id = person.id
        assert person.password_hash is None and person.roles == {"intervenant"}
    edit = text(coordinator.get(f"/people/{person_id}/edit"))
    assert "claire@example.org" in edit and 'name="email"' not in edit  # shown, changed elsewhere
    assert re.search(
        r'<input checked[^>]*value="intervenant"|<input[^>]*value="intervenant"[^>]*checked', edit
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "pas-une-adresse"}, "adresse courriel valide"),
        ({"email": "a@b@c.org"}, "adresse courriel valide"),
        ({"email": "x" * 300 + "@example.org"}, "254"),
        ({"display_name": "n" * 500}, "120"),
        ({"display_name": ""}, "obligatoire"),
        ({"preferred_language": "de"}, "choix valide"),
        ({"roles": ["emperor"]}, "choix valide"),
        ({"organization_id": "999999"}, "choix valide"),
        ({"organization_id": "abc"}, "choix non valide"),
    ],
)
def test_bad_person_input_gets_a_form_message(app, coordinator, overrides, message):
    organization_id = make_organization(app)
    response = post_form(coordinator, "/people/new", person_form(organization_id, **overrides))
    assert response.status_code == 400
    assert message in text(response).lower() or message in text(response)
    with app.app_context():
        assert db.session.scalar(select(Person).where(Person.display_name == "Claire Gagnon")) is None


def test_email_is_unique_case_insensitively(app, coordinator):
    organization_id = make_organization(app)
    make_person(app, email="claire@example.org")
    response = post_form(coordinator, "/people/new", person_form(organization_id, email="CLAIRE@Example.org"))
    assert response.status_code == 400
    assert "déjà utilisée" in text(response) or "déjà" in text(response)


def test_deactivate_and_reactivate(app, coordinator):
    person_id = make_person(app)
    assert post_form(coordinator, f"/people/{person_id}/deactivate").status_code == 302
    with app.app_context():
        assert not db.session.get(Person, person_id).active
    assert post_form(coordinator, f"/people/{person_id}/reactivate").status_code == 302
    with app.app_context():
        assert db.session.get(Person, person_id).active


def test_deactivated_people_are_hidden_unless_asked(app, coordinator):
    person_id = make_person(app, display_name="Ancienne Collègue", active=False)
    assert "Ancienne Collègue" not in text(coordinator.get("/people"))
    assert "Ancienne Collègue" in text(coordinator.get("/people?inactive=1"))
    assert person_id


def test_organizations_create_edit_duplicate_and_deactivate(app, coordinator):
    response = post_form(
        coordinator,
        "/organizations/new",
        {"name": "Maison des jeunes X", "short_name": "MDJX", "sector": "community", "region": "Laval"},
    )
    assert response.status_code == 302
    duplicate = post_form(
        coordinator,
        "/organizations/new",
        {"name": "maison des jeunes x", "short_name": "OTHER", "sector": "community"},
    )
    assert duplicate.status_code == 400
    for sector in ("castle", "Police", ""):
        bad_sector = post_form(
            coordinator, "/organizations/new", {"name": "Y", "short_name": "Y", "sector": sector}
        )
        assert bad_sector.status_code == 400, sector
    no_sector = post_form(
        coordinator, "/organizations/new", {"name": "Y", "short_name": "Y", "kind": "police"}
    )
    assert no_sector.status_code == 400 and "Ce champ est obligatoire." in text(no_sector)
    with app.app_context():
        organization_id = db.session.scalar(select(Organization.id).where(Organization.short_name == "MDJX"))
    assert (
        post_form(
            coordinator,
            f"/organizations/{organization_id}/edit",
            {"name": "Maison des jeunes X", "short_name": "MDJX", "sector": "education"},
        ).status_code
        == 302
    )
    assert post_form(coordinator, f"/organizations/{organization_id}/deactivate").status_code == 302
    with app.app_context():
        organization = db.session.get(Organization, organization_id)
        assert organization.sector == "education" and not organization.active


def test_committee_members_are_managed_by_the_coordinator(app, coordinator):
    member_id = make_person(app, display_name="Membre Un")
    newcomer_id = make_person(app, display_name="Nouveau Membre")
    committee_id = make_committee(app, member_ids=[member_id])
    page = text(coordinator.get(f"/committees/{committee_id}"))
    assert "Membre Un" in page
    assert (
        post_form(
            coordinator, f"/committees/{committee_id}", {"person_id": newcomer_id, "role": "secretary"}
        ).status_code
        == 302
    )
    assert post_form(coordinator, f"/committees/{committee_id}/members/{member_id}/remove").status_code == 302
    with app.app_context():
        rows = db.session.scalars(select(CommitteeMembership)).all()
        assert [(row.person_id, row.role) for row in rows] == [(newcomer_id, "secretary")]
    assert (
        post_form(
            coordinator, f"/committees/{committee_id}", {"person_id": 999999, "role": "member"}
        ).status_code
        == 400
    )
    assert (
        post_form(
            coordinator, f"/committees/{committee_id}", {"person_id": newcomer_id, "role": "king"}
        ).status_code
        == 400
    )


def test_members_may_read_committees_but_not_change_them(app):
    member_id = make_person(app, roles=("partner",))
    committee_id = make_committee(app, member_ids=[member_id])
    client = logged_in(app.test_client(), email_of(app, member_id))
    page = text(client.get(f"/committees/{committee_id}"))
    assert "Ajouter ou modifier" not in page
    assert (
        post_form(
            client, f"/committees/{committee_id}", {"person_id": member_id, "role": "chair"}
        ).status_code
        == 403
    )
    assert post_form(client, f"/committees/{committee_id}/members/{member_id}/remove").status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/people?page=-1",
        "/people?page=99999999999",
        "/people/0",
        "/people/abc/edit",
        "/organizations/999/edit",
        "/committees/999",
        "/people?role=bogus",
        "/people?organization=abc",
        "/people?q=" + "%" * 500,
        "/people?q=%00%ff",
        "/people/1%00",
        "/login?next=%00",
        "/audit/?object_id=" + "9" * 100,
    ],
)
def test_garbage_in_urls_gives_4xx(coordinator, url):
    response = coordinator.get(url)
    assert response.status_code in (200, 400, 404), url
    assert "Traceback" not in text(response)
