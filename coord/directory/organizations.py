"""Organizations: the list with their number of active people, create, change, deactivate (with its
people), reactivate (without them).

Each operation checks permission first and commits once."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from coord import audit
from coord.core.errors import ServiceError
from coord.core.locks import lock_row
from coord.core.permissions import may, require
from coord.core.text import check_single_line
from coord.directory import deactivation
from coord.directory.models import Organization, Person, Sector
from coord.extensions import db


@dataclass
class OrganizationData:
    name: str
    short_name: str
    sector: str
    region: str = ""
    is_partner: bool = False


def list_organizations(actor: Person, include_inactive: bool = True) -> list[tuple[Organization, int]]:
    """Organizations with their number of active people, in one query."""
    require(actor, "directory.organizations.manage")
    counts = (
        select(Person.organization_id, func.count(Person.id).label("n"))
        .where(Person.active.is_(True))
        .group_by(Person.organization_id)
        .subquery()
    )
    query = select(Organization, func.coalesce(counts.c.n, 0)).outerjoin(
        counts, counts.c.organization_id == Organization.id
    )
    if not include_inactive:
        query = query.where(Organization.active.is_(True))
    query = query.order_by(Organization.is_partner.desc(), func.lower(Organization.name))
    return [(org, count) for org, count in db.session.execute(query)]


def organization_choices() -> list[tuple[int, str]]:
    """Active organizations for a select field (no permission: names of organizations are not secret)."""
    rows = db.session.execute(
        select(Organization.id, Organization.name, Organization.short_name)
        .where(Organization.active.is_(True))
        .order_by(func.lower(Organization.name))
    )
    return [(row.id, f"{row.name} ({row.short_name})") for row in rows]


def get_organization(actor: Person, organization_id: int | None) -> Organization | None:
    """The organization to edit, or None for a new one (after the permission check either way)."""
    require(actor, "directory.organizations.manage")
    return db.get_or_404(Organization, organization_id) if organization_id else None


def _check_organization(data: OrganizationData, organization: Organization | None) -> None:
    for attribute in ("name", "short_name", "region"):
        check_single_line(getattr(data, attribute), attribute)
    if data.sector not in {sector.value for sector in Sector}:
        raise ServiceError(_l("Choose a sector."), "sector")
    for attribute in ("name", "short_name"):
        value = getattr(data, attribute).strip()
        clash = db.session.scalar(
            select(Organization.id).where(func.lower(getattr(Organization, attribute)) == value.lower())
        )
        if clash is not None and (organization is None or clash != organization.id):
            raise ServiceError(_l("Another organization already has this name."), attribute)


def save_organization(
    actor: Person, data: OrganizationData, organization_id: int | None = None
) -> Organization:
    require(actor, "directory.organizations.manage")
    organization = db.get_or_404(Organization, organization_id) if organization_id else None
    _check_organization(data, organization)
    values = {
        "name": data.name.strip(),
        "short_name": data.short_name.strip(),
        "sector": data.sector,
        "region": data.region.strip(),
        "is_partner": data.is_partner,
    }
    if organization is None:
        organization = Organization(active=True)
        db.session.add(organization)
        action, changed = "organization.create", sorted(values)
    else:
        action = "organization.update"
        changed = sorted(name for name, value in values.items() if getattr(organization, name) != value)
    for name, value in values.items():
        setattr(organization, name, value)
    try:
        db.session.flush()  # a name taken meanwhile fails here or at the commit
        if changed:
            audit.record(action, actor=actor, obj=organization, detail="fields=" + ",".join(changed))
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise ServiceError(_l("Another organization already has this name."), "name") from error
    return organization


@dataclass(frozen=True)
class DeactivationPage:
    """What the confirmation page shows: the organization, its active people (deactivated with it), and
    why the reader may not deactivate it (the reader belongs to it, or an administrator does and the
    reader is not one): then the page has no button."""

    organization: Organization
    people: list[Person]
    includes_reader: bool
    includes_protected: bool  # a person the reader may not deactivate, other than the reader
    openable: frozenset[int] = frozenset()  # the people whose card the reader may open (linked)

    @property
    def can_deactivate(self) -> bool:
        return not (self.includes_reader or self.includes_protected)


def _active_people(organization_id: int) -> list[Person]:
    return list(
        db.session.scalars(
            select(Person)
            .where(Person.organization_id == organization_id, Person.active.is_(True))
            .order_by(func.lower(Person.display_name), Person.id)
        )
    )


def deactivation_page(actor: Person, organization_id: int) -> DeactivationPage:
    require(actor, "directory.organizations.manage")
    organization = db.get_or_404(Organization, organization_id)
    require(actor, "directory.organizations.manage", organization)
    people = _active_people(organization.id)
    others = [person for person in people if person.id != actor.id]
    return DeactivationPage(
        organization,
        people,
        includes_reader=len(others) != len(people),
        includes_protected=any(not may(actor, "directory.people.deactivate", person) for person in others),
        openable=frozenset(p.id for p in people if may(actor, "directory.people.manage", p)),
    )


def deactivate_organization(actor: Person, organization_id: int) -> tuple[Organization, int]:
    """Deactivate the organization and each of its active people, through the path that deactivates one
    person (their sessions end, each is audited); returns it and how many people. The actor must be allowed to
    deactivate every one of them (not themself, an administrator only by an administrator), checked before
    anything changes. Run again on a deactivated organization, it deactivates whoever is still active."""
    require(actor, "directory.organizations.manage")
    organization = db.get_or_404(Organization, organization_id)
    require(actor, "directory.organizations.manage", organization)
    organization = lock_row(Organization, organization.id)  # a second click finds nobody left to deactivate
    people = _active_people(organization.id)
    for person in people:
        require(actor, "directory.people.deactivate", person)
    if organization.active or people:
        deactivation.deactivate(actor, *people)
        audit.record("organization.deactivate", actor=actor, obj=organization, detail=f"people={len(people)}")
        organization.active = False
        db.session.commit()
    return organization, len(people)


def reactivate_organization(actor: Person, organization_id: int) -> Organization:
    """Reactivate the organization alone: its people stay deactivated; the coordinator reactivates whom
    they choose, one by one."""
    require(actor, "directory.organizations.manage")
    organization = lock_row(Organization, db.get_or_404(Organization, organization_id).id)
    if not organization.active:
        organization.active = True
        audit.record("organization.reactivate", actor=actor, obj=organization)
        db.session.commit()
    return organization
