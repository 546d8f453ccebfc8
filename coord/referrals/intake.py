"""Who receives an organization's referrals: the people it names (its intake), nobody else."""

from __future__ import annotations

import sqlalchemy as sa

from coord.directory.models import Person
from coord.extensions import db
from coord.referrals.models import IntakePerson


def is_intake(person: Person, organization_id: int) -> bool:
    """A current intake person of that organization (and still one of its people)."""
    if person.organization_id != organization_id:
        return False
    return (
        db.session.scalar(
            sa.select(IntakePerson.id).where(
                IntakePerson.organization_id == organization_id, IntakePerson.person_id == person.id
            )
        )
        is not None
    )


def intake_people(organization_id: int) -> list[Person]:
    """The organization's active intake people (the ones its referrals are announced to)."""
    return list(
        db.session.scalars(
            sa.select(Person)
            .join(IntakePerson, IntakePerson.person_id == Person.id)
            .where(
                IntakePerson.organization_id == organization_id,
                Person.organization_id == organization_id,
                Person.active,
            )
            .order_by(Person.display_name)
        )
    )


def intake_organizations(person: Person) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(IntakePerson.organization_id).where(
                IntakePerson.person_id == person.id,
                IntakePerson.organization_id == person.organization_id,
            )
        )
    )
