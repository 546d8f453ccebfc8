"""Organizations: the list with their number of active people, create, change, deactivate, reactivate.

Each operation checks permission first and commits once."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from coord import audit
from coord.core.errors import ServiceError
from coord.core.permissions import require
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


def set_organization_active(actor: Person, organization_id: int, active: bool) -> Organization:
    require(actor, "directory.organizations.manage")
    organization = db.get_or_404(Organization, organization_id)
    if organization.active != active:
        organization.active = active
        audit.record(
            "organization.deactivate" if not active else "organization.reactivate",
            actor=actor,
            obj=organization,
        )
        db.session.commit()
    return organization
