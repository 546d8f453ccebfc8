"""Naming each partner organization's intake people (the coordinator): list, add, remove; audited."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import NotFound

from coord import audit
from coord.core.errors import ServiceError
from coord.core.ids import MAX_ID
from coord.core.permissions import require
from coord.directory.models import Organization, Person
from coord.extensions import db
from coord.referrals.models import IntakePerson
from coord.referrals.permissions import never_sees_participants
from coord.referrals.referrals import partner_organizations


@dataclass(frozen=True)
class OrganizationIntake:
    organization: Organization
    intake: list[IntakePerson]
    candidates: list[Person]  # the organization's active people not yet named


def intake_page(actor: Person) -> list[OrganizationIntake]:
    """Every active partner organization with its intake people and who could be added."""
    require(actor, "referrals.intake.manage")
    organizations = partner_organizations()
    ids = [org.id for org in organizations]
    rows = list(
        db.session.scalars(
            sa.select(IntakePerson).where(IntakePerson.organization_id.in_(ids)).order_by(IntakePerson.id)
        )
    )
    people = list(
        db.session.scalars(
            sa.select(Person)
            .where(Person.organization_id.in_(ids), Person.active)
            .order_by(Person.display_name, Person.id)
        )
    )
    page = []
    for org in organizations:
        named = [row for row in rows if row.organization_id == org.id]
        taken = {row.person_id for row in named}
        candidates = [p for p in people if p.organization_id == org.id and p.id not in taken]
        page.append(OrganizationIntake(org, named, candidates))
    return page


def _get(model, value: int | None):
    return db.session.get(model, value) if isinstance(value, int) and 0 < value <= MAX_ID else None


def add_intake(actor: Person, organization_id: int | None, person_id: int | None) -> IntakePerson:
    """Name an active person of that (active, partner) organization as one of its intake people."""
    require(actor, "referrals.intake.manage")
    organization = _get(Organization, organization_id)
    if organization is None or not organization.active or not organization.is_partner:
        raise ServiceError(_l("Choose an active partner organization."), "organization_id")
    person = _get(Person, person_id)
    if person is None or not person.active or person.organization_id != organization.id:
        raise ServiceError(_l("Choose an active person of this organization."), "person_id")
    if never_sees_participants(person):
        raise ServiceError(_l("A researcher or an administrator never receives referrals."), "person_id")
    exists = db.session.scalar(
        sa.select(IntakePerson.id).where(
            IntakePerson.organization_id == organization.id, IntakePerson.person_id == person.id
        )
    )
    if exists is not None:
        raise ServiceError(_l("This person is already an intake person of this organization."), "person_id")
    row = IntakePerson(organization_id=organization.id, person_id=person.id, named_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record(
        "intake.add",
        actor=actor,
        obj=row,
        detail=f"person {person.id} for organization {organization.id}",
    )
    db.session.commit()
    return row


def get_intake(actor: Person, intake_id: int) -> IntakePerson:
    """The row (for the confirmation page), once the actor may manage intake people."""
    require(actor, "referrals.intake.manage")
    row = _get(IntakePerson, intake_id)
    if row is None:
        raise NotFound()
    return row


def remove_intake(actor: Person, intake_id: int) -> None:
    row = get_intake(actor, intake_id)
    audit.record(
        "intake.remove",
        actor=actor,
        obj=row,
        detail=f"person {row.person_id} for organization {row.organization_id}",
    )
    db.session.delete(row)
    db.session.commit()
