"""The directory's rules: people, organizations, committees, and the audit log."""

from __future__ import annotations

from coord.core.permissions import rule
from coord.directory.models import Committee, Organization, Person, Role


def _protects_admin(actor: Person, person: Person | None) -> bool:
    """An administrator's account is changed only by an administrator."""
    return person is not None and person.has_role(Role.ADMIN) and not actor.has_role(Role.ADMIN)


@rule("directory.people.manage", guards=Person, optional=True)
def _manage_people(actor: Person, person: Person | None) -> bool:
    return actor.is_staff and not _protects_admin(actor, person)


@rule("directory.people.change_email", guards=Person)
def _change_email(actor: Person, person: Person) -> bool:
    """Another person's address: administrators only, and only by a change that the new address confirms.
    Coordinators change nobody's address (the person does it on their account page); one's own address is
    changed on one's account page, with the current password."""
    return actor.has_role(Role.ADMIN) and person.id != actor.id


@rule("directory.people.grant_admin", guards=Person, optional=True)
def _grant_admin(actor: Person, person: Person | None) -> bool:
    return actor.has_role(Role.ADMIN)


@rule("directory.people.deactivate", guards=Person)
def _deactivate_person(actor: Person, person: Person) -> bool:
    if not actor.is_staff or person.id == actor.id:
        return False
    return not _protects_admin(actor, person)


@rule("directory.organizations.manage", guards=Organization, optional=True)
def _manage_organizations(actor: Person, organization: Organization | None) -> bool:
    return actor.is_staff


@rule("directory.committees.view", guards=Committee, optional=True)
def _view_committees(actor: Person, committee: Committee | None) -> bool:
    """Staff see every committee; partners and intervenants see the list, and the members of their own."""
    if actor.is_staff:
        return True
    if committee is None:
        return actor.has_role(Role.PARTNER, Role.INTERVENANT)
    return actor.sits_on(committee.id)


@rule("directory.committees.manage", guards=Committee, optional=True)
def _manage_committees(actor: Person, committee: Committee | None) -> bool:
    return actor.is_staff


@rule("audit.read")
def _read_audit(actor: Person, obj: None) -> bool:
    return actor.is_staff
