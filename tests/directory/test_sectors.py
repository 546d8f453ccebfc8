"""Organizations have a sector (health and social services, police, community, education, other): rules can
tell police apart, and the sector alone grants nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from coord.conferences.models import CaseConference
from coord.core import permissions
from coord.directory.models import Organization, Person, Sector
from coord.extensions import db
from coord.meetings import minutes
from tests.calendar.factories import committee_with_people, person, single_meeting
from tests.conferences.factories import schedule_conference
from tests.directory.factories import email_of, make_committee, make_organization, make_person
from tests.meetings.factories import add_action
from tests.support import logged_in, post_form, text


def test_a_person_answers_the_sector_of_their_organization(app):
    police = make_organization(app, short_name="SPVM", sector="police")
    officer = make_person(app, organization_id=police)
    with app.app_context():
        assert person(officer).sector == Sector.POLICE == "police"
        db.session.get(Organization, police).sector = Sector.OTHER
        db.session.commit()
        assert person(officer).sector == "other"


def test_the_organization_pages_show_the_sector_in_french(app, client):
    coordinator = make_person(app, roles=("coordinator",))
    make_organization(app, name="Service de police", sector="police")
    make_organization(app, name="CIUSSS du Nord", sector="health_social")
    logged_in(client, email_of(app, coordinator))
    listing = text(client.get("/organizations"))
    assert "Secteur" in listing and "Santé et services sociaux" in listing and "Policier" in listing
    form = text(client.get("/organizations/new"))
    for label in (
        "Santé et services sociaux",
        "Communautaire",
        "Éducation",
        "Autre",
        "Choisissez un secteur",
    ):
        assert label in form
    officer = make_person(app, organization_id=make_organization(app, name="SPVM", sector="police"))
    assert "SPVM (Policier)" in text(client.get(f"/people/{officer}"))
    created = post_form(
        client, "/organizations/new", {"name": "École X", "short_name": "EX", "sector": "education"}
    )
    assert created.status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(sa.select(Organization.sector).where(Organization.short_name == "EX"))
            == "education"
        )


# The sector grants nothing by itself -----------------------------------------------------------------------


def _twins(app) -> dict[str, int]:
    """One intervenant per sector, alike in everything else: same role, same committee, same guest list."""
    return {
        sector.value: make_person(
            app, roles=("intervenant",), organization_id=make_organization(app, sector=sector.value)
        )
        for sector in Sector
    }


def test_a_police_intervenant_is_not_let_into_a_case_conference_they_are_not_invited_to(app):
    twins = _twins(app)
    organizer = make_person(app, roles=("intervenant",))
    invited = make_person(app, roles=("intervenant",))
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=4)
    conference, _, _ = schedule_conference(app, organizer, invited, start=start, title="Concertation J.T.")
    police = logged_in(app.test_client(), email_of(app, twins["police"]))
    assert police.get(f"/conferences/{conference}").status_code == 403
    week = text(police.get(f"/calendar/me/week?d={start:%Y-%m-%d}"))
    assert f"/conferences/{conference}" not in week and "Rencontre de concertation" not in week
    invited_client = logged_in(app.test_client(), email_of(app, invited))
    assert invited_client.get(f"/conferences/{conference}").status_code == 200


def test_every_rule_answers_alike_for_intervenants_of_every_sector(app):
    """A world of committees, meetings, minutes, actions and a case conference; for every registered rule and
    every object it guards, the police intervenant gets exactly what the twins of other sectors get."""
    twins = _twins(app)
    committee, coordinator, (member, _) = committee_with_people(app, 2)
    own = make_committee(app, code="twins", member_ids=list(twins.values()))
    meeting = single_meeting(app, coordinator, committee, guests=tuple(twins.values()))
    single_meeting(app, coordinator, own)
    add_action(app, meeting, committee, "Relancer le partenaire", owner_id=member)
    with app.app_context():
        minutes.save_minutes(person(coordinator), meeting, 0, "Notes", {}, [], [])
        minutes.circulate(person(coordinator), meeting)
        conference = db.session.get(CaseConference, schedule_conference(app, coordinator, member)[0])

        asked = 0
        for action in permissions.known_actions():
            registered = permissions._RULES[action]
            guards = registered.guards if isinstance(registered.guards, tuple) else (registered.guards,)
            objects: list[object | None] = [None] if registered.optional else []
            for guard in guards:
                if guard is not None and hasattr(guard, "__table__"):  # the app's models (not a test's)
                    objects += db.session.scalars(sa.select(guard)).unique().all()
            for obj in objects:
                answers = {sector: permissions.may(person(pid), action, obj) for sector, pid in twins.items()}
                assert len(set(answers.values())) == 1, (action, obj, answers)
                asked += 1
        assert asked > 50
        police = db.session.get(Person, twins["police"])
        assert police.sector == "police" and not permissions.may(police, "conferences.view", conference)
