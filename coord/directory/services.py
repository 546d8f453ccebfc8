"""Directory operations: people, roles, organizations, committees. Each checks permission and commits once."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from coord import audit
from coord.core.errors import ServiceError
from coord.core.ids import MAX_ID
from coord.core.permissions import may, require
from coord.directory import auth, emails
from coord.directory.models import (
    Committee,
    CommitteeMembership,
    CommitteeRole,
    Organization,
    OrganizationKind,
    Person,
    PersonRole,
    Role,
)
from coord.extensions import db

logger = logging.getLogger(__name__)


@dataclass
class PersonData:
    email: str
    display_name: str
    organization_id: int
    preferred_language: str = "fr"
    roles: set[str] = field(default_factory=set)


@dataclass
class OrganizationData:
    name: str
    short_name: str
    kind: str
    region: str = ""
    is_partner: bool = False


def _get_or_404(model, object_id: int):
    return db.get_or_404(model, object_id)


# People ---------------------------------------------------------------------------------------------


def list_people(
    actor: Person,
    *,
    search: str = "",
    organization_id: int | None = None,
    role: str = "",
    include_inactive: bool = False,
    page: int = 1,
    per_page: int = 50,
):
    require(actor, "directory.people.manage")
    query = select(Person).join(Person.organization)
    if search:
        needle = search.strip().lower()
        query = query.where(
            or_(
                Person.email.contains(needle, autoescape=True),
                func.lower(Person.display_name).contains(needle, autoescape=True),
            )
        )
    if organization_id:
        query = query.where(Person.organization_id == organization_id)
    if role:
        query = query.where(Person.role_rows.any(PersonRole.role == role))
    if not include_inactive:
        query = query.where(Person.active.is_(True))
    query = query.order_by(func.lower(Person.display_name), Person.id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def get_person(actor: Person, person_id: int) -> Person:
    require(actor, "directory.people.manage")
    person = _get_or_404(Person, person_id)
    require(actor, "directory.people.manage", person)
    return person


def _check_person_data(actor: Person, data: PersonData, person: Person | None) -> None:
    unknown = data.roles - {role.value for role in Role}
    if unknown:
        raise ServiceError(_l("Unknown role."), "roles")
    if data.preferred_language not in ("fr", "en"):
        raise ServiceError(_l("Unknown language."), "preferred_language")
    organization = db.session.get(Organization, data.organization_id)
    if organization is None:
        raise ServiceError(_l("Choose an organization."), "organization_id")
    email = auth.normalize_email(data.email)
    clash = db.session.scalar(select(Person.id).where(Person.email == email))
    if clash is not None and (person is None or clash != person.id):
        raise ServiceError(_l("Another person already uses this e-mail address."), "email")
    had_admin = person is not None and person.has_role(Role.ADMIN)
    if (Role.ADMIN in data.roles) != had_admin:
        require(actor, "directory.people.grant_admin", person)
        if person is not None and person.id == actor.id:
            raise ServiceError(_l("You cannot remove your own administrator role."), "roles")


def _apply_roles(person: Person, roles: set[str]) -> tuple[set[str], set[str]]:
    current = person.roles
    added, removed = roles - current, current - roles
    person.role_rows = [row for row in person.role_rows if row.role in roles]
    person.role_rows.extend(PersonRole(role=role) for role in sorted(added))
    return added, removed


def _commit_or_email_clash() -> None:
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise ServiceError(_l("Another person already uses this e-mail address."), "email") from error


def create_person(actor: Person, data: PersonData, *, invite: bool = False) -> Person:
    require(actor, "directory.people.manage")
    _check_person_data(actor, data, None)
    person = Person(
        email=auth.normalize_email(data.email),
        display_name=data.display_name.strip(),
        organization_id=data.organization_id,
        preferred_language=data.preferred_language,
        active=True,
    )
    _apply_roles(person, data.roles)
    db.session.add(person)
    db.session.flush()
    audit.record("person.create", actor=actor, obj=person, detail="roles=" + ",".join(sorted(data.roles)))
    if invite:
        _queue_invitation(actor, person)
    _commit_or_email_clash()
    return person


def update_person(actor: Person, person_id: int, data: PersonData) -> Person:
    person = get_person(actor, person_id)
    _check_person_data(actor, data, person)
    values = {
        "email": auth.normalize_email(data.email),
        "display_name": data.display_name.strip(),
        "organization_id": data.organization_id,
        "preferred_language": data.preferred_language,
    }
    changed = sorted(name for name, value in values.items() if getattr(person, name) != value)
    for name, value in values.items():
        setattr(person, name, value)
    added, removed = _apply_roles(person, data.roles)
    if changed:
        audit.record("person.update", actor=actor, obj=person, detail="fields=" + ",".join(changed))
    if added or removed:
        audit.record(
            "person.roles",
            actor=actor,
            obj=person,
            detail=f"added={','.join(sorted(added))};removed={','.join(sorted(removed))}",
        )
    _commit_or_email_clash()
    return person


def set_active(actor: Person, person_id: int, active: bool) -> Person:
    person = get_person(actor, person_id)
    require(actor, "directory.people.deactivate", person)
    if person.active != active:
        person.active = active
        if not active:
            auth.end_all_sessions(person.id)
        audit.record("person.deactivate" if not active else "person.reactivate", actor=actor, obj=person)
        db.session.commit()
    return person


def set_language(person: Person, language: str) -> None:
    """A person changes their own language preference."""
    if language not in ("fr", "en"):
        raise ServiceError(_l("Unknown language."), "preferred_language")
    if person.preferred_language != language:
        person.preferred_language = language
        audit.record("person.language", obj=person, actor=person, detail=language)
        db.session.commit()


def invite_person(actor: Person, person_id: int) -> None:
    """Queue an e-mail with a signed, expiring link to set a password, in the audit entry's transaction."""
    _queue_invitation(actor, get_person(actor, person_id))
    db.session.commit()


def _queue_invitation(actor: Person, person: Person) -> None:
    """Check, audit and queue an invitation (the caller commits)."""
    if not person.active:
        raise ServiceError(_l("This person is deactivated."))
    if person.password_hash is not None:
        raise ServiceError(
            _l("This person has already chosen a password. They can use “Forgot your password?” to log in.")
        )
    audit.record("person.invite", actor=actor, obj=person)
    emails.queue_invitation(person, actor)


def request_password_reset(email: str) -> None:
    """Send a reset link if the address belongs to an active person; the caller says the same either way."""
    person = auth.find_person_by_email(email)
    if person is None or not person.active:
        return
    audit.record("auth.password_reset_requested", actor=audit.ANONYMOUS, obj=person)  # anyone can ask
    emails.queue_password_reset(person)
    db.session.commit()


# Organizations --------------------------------------------------------------------------------------


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
    return _get_or_404(Organization, organization_id) if organization_id else None


def _check_organization(data: OrganizationData, organization: Organization | None) -> None:
    if data.kind not in {kind.value for kind in OrganizationKind}:
        raise ServiceError(_l("Unknown kind of organization."), "kind")
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
    organization = _get_or_404(Organization, organization_id) if organization_id else None
    _check_organization(data, organization)
    values = {
        "name": data.name.strip(),
        "short_name": data.short_name.strip(),
        "kind": data.kind,
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
    db.session.flush()
    if changed:
        audit.record(action, actor=actor, obj=organization, detail="fields=" + ",".join(changed))
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise ServiceError(_l("Another organization already has this name."), "name") from error
    return organization


def set_organization_active(actor: Person, organization_id: int, active: bool) -> Organization:
    require(actor, "directory.organizations.manage")
    organization = _get_or_404(Organization, organization_id)
    if organization.active != active:
        organization.active = active
        audit.record(
            "organization.deactivate" if not active else "organization.reactivate",
            actor=actor,
            obj=organization,
        )
        db.session.commit()
    return organization


# Committees -----------------------------------------------------------------------------------------


def list_committees(actor: Person) -> list[tuple[Committee, int]]:
    require(actor, "directory.committees.view")
    counts = (
        select(CommitteeMembership.committee_id, func.count(CommitteeMembership.id).label("n"))
        .join(CommitteeMembership.person)
        .where(Person.active.is_(True))
        .group_by(CommitteeMembership.committee_id)
        .subquery()
    )
    query = (
        select(Committee, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.committee_id == Committee.id)
        .where(Committee.active.is_(True))
        .order_by(Committee.code)
    )
    return [(committee, count) for committee, count in db.session.execute(query)]


def person_form_choices(actor: Person) -> list[tuple[int, str]]:
    """Organizations to choose from on the person form (for those who manage people)."""
    require(actor, "directory.people.manage")
    return organization_choices()


def member_candidates(actor: Person, committee: Committee) -> list[tuple[int, str]] | None:
    """People who may be added to the committee, or None when the actor may not manage it."""
    return person_choices() if may(actor, "directory.committees.manage", committee) else None


def get_committee(actor: Person, committee_id: int) -> tuple[Committee, list[CommitteeMembership]]:
    require(actor, "directory.committees.view")
    committee = _get_or_404(Committee, committee_id)
    require(actor, "directory.committees.view", committee)
    members = db.session.scalars(
        select(CommitteeMembership)
        .join(CommitteeMembership.person)
        .where(CommitteeMembership.committee_id == committee.id, Person.active.is_(True))
        .order_by(func.lower(Person.display_name))
    ).all()
    return committee, list(members)


def add_member(actor: Person, committee_id: int, person_id: int, role: str = CommitteeRole.MEMBER) -> None:
    require(actor, "directory.committees.manage")
    committee = _get_or_404(Committee, committee_id)
    require(actor, "directory.committees.manage", committee)
    valid_id = isinstance(person_id, int) and 0 < person_id <= MAX_ID
    person = db.session.get(Person, person_id) if valid_id else None
    if person is None or not person.active:
        raise ServiceError(_l("Choose an active person."), "person_id")
    if role not in {item.value for item in CommitteeRole}:
        raise ServiceError(_l("Unknown committee role."), "role")
    membership = db.session.scalar(
        select(CommitteeMembership).where(
            CommitteeMembership.committee_id == committee.id, CommitteeMembership.person_id == person.id
        )
    )
    if membership is None:
        membership = CommitteeMembership(committee_id=committee.id, person_id=person.id, role=role)
        db.session.add(membership)
    else:
        membership.role = role
    audit.record("committee.member_add", actor=actor, obj=committee, detail=f"person={person.id};role={role}")
    db.session.commit()


def remove_member(actor: Person, committee_id: int, person_id: int) -> None:
    require(actor, "directory.committees.manage")
    committee = _get_or_404(Committee, committee_id)
    require(actor, "directory.committees.manage", committee)
    membership = db.session.scalar(
        select(CommitteeMembership).where(
            CommitteeMembership.committee_id == committee.id, CommitteeMembership.person_id == person_id
        )
    )
    if membership is not None:
        db.session.delete(membership)
        audit.record("committee.member_remove", actor=actor, obj=committee, detail=f"person={person_id}")
        db.session.commit()


def person_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Person.id, Person.display_name, Organization.short_name)
        .join(Person.organization)
        .where(Person.active.is_(True))
        .order_by(func.lower(Person.display_name))
    )
    return [(row.id, f"{row.display_name} ({row.short_name})") for row in rows]


def display_names(person_ids: set[int]) -> dict[int, str]:
    """Names for a set of person ids, in one query (for lists such as the audit log)."""
    if not person_ids:
        return {}
    rows = db.session.execute(select(Person.id, Person.display_name).where(Person.id.in_(person_ids)))
    return {row.id: row.display_name for row in rows}
