"""People: the list, a person's page and form, create, change (roles included), deactivate, reactivate,
invite; one's own language; a forgotten password. Each operation checks permission first and commits once.

The address of an existing account is not changed here: see email_change.py (confirmed from the new
address, administrators only for someone else).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload

from coord import audit
from coord.core.errors import ServiceError
from coord.core.locks import lock_row
from coord.core.permissions import may, require
from coord.core.text import check_single_line
from coord.directory import attempts, auth, deactivation, emails, repeats
from coord.directory.models import Organization, Person, PersonRole, Role
from coord.directory.organizations import organization_choices
from coord.extensions import db


@dataclass
class PersonData:
    """What the person form gives (the address only when creating: see create_person)."""

    display_name: str
    organization_id: int
    preferred_language: str = "fr"
    roles: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class PeoplePage:
    pagination: Pagination
    organizations: list[tuple[int, str]]  # for the filter
    openable: frozenset[int] = frozenset()  # the people whose card the reader may open (linked)


@dataclass(frozen=True)
class PersonPage:
    person: Person
    can_deactivate: bool
    can_change_email: bool  # start a change of address (administrators, for someone else)
    can_cancel_email_change: bool  # a change is waiting and the reader may cancel it
    can_reactivate: bool  # deactivated, and their organization is active


@dataclass(frozen=True)
class PersonForm:
    """What the person form needs: the person (None for a new one) and the organizations to choose from
    (the active ones, and the person's own even if it was deactivated since)."""

    person: Person | None
    organizations: list[tuple[int, str]]


def _email_clash() -> ServiceError:
    return ServiceError(_l("Another person already uses this e-mail address."), "email")


# Reading --------------------------------------------------------------------------------------------


def people_page(
    actor: Person,
    *,
    search: str = "",
    organization_id: int | None = None,
    role: str = "",
    include_inactive: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> PeoplePage:
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
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False)
    openable = frozenset(p.id for p in pagination.items if may(actor, "directory.people.manage", p))
    return PeoplePage(pagination, organization_choices(), openable)


def get_person(actor: Person, person_id: int) -> Person:
    require(actor, "directory.people.manage")
    person = db.get_or_404(Person, person_id)
    require(actor, "directory.people.manage", person)
    return person


def person_page(actor: Person, person_id: int) -> PersonPage:
    person = get_person(actor, person_id)
    allowed = may(actor, "directory.people.deactivate", person)
    return PersonPage(
        person,
        can_deactivate=allowed and person.active,
        can_reactivate=allowed and not person.active and person.organization.active,
        can_change_email=person.active and may(actor, "directory.people.change_email", person),
        can_cancel_email_change=person.pending_email is not None,  # get_person: the reader manages them
    )


def person_form(actor: Person, person_id: int | None = None) -> PersonForm:
    if person_id is None:
        require(actor, "directory.people.manage")
        return PersonForm(None, organization_choices())
    person = get_person(actor, person_id)
    choices = organization_choices()
    if not any(value == person.organization_id for value, _label in choices):
        choices.append((person.organization_id, person.organization.name))
    return PersonForm(person, choices)


def person_choices() -> list[tuple[int, str]]:
    """Active people for a select field: "Name (ORG)"."""
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


# Changing -------------------------------------------------------------------------------------------


def _check_person_data(actor: Person, data: PersonData, person: Person | None, email: str = "") -> None:
    check_single_line(email, "email")
    check_single_line(data.display_name, "display_name")
    unknown = data.roles - {role.value for role in Role}
    if unknown:
        raise ServiceError(_l("Unknown role."), "roles")
    if data.preferred_language not in ("fr", "en"):
        raise ServiceError(_l("Unknown language."), "preferred_language")
    organization = db.session.get(Organization, data.organization_id)
    if organization is None:
        raise ServiceError(_l("Choose an organization."), "organization_id")
    moves = person is None or person.organization_id != organization.id
    if (
        moves and not organization.active
    ):  # a person may stay in their deactivated organization, no one joins it
        raise ServiceError(_l("This organization is deactivated: choose an active one."), "organization_id")
    if person is None and db.session.scalar(select(Person.id).where(Person.email == email)) is not None:
        raise _email_clash()
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


def _queue_invitation(actor: Person, person: Person) -> None:
    """Check, audit and queue an invitation (the caller commits)."""
    if not person.active:
        raise ServiceError(_l("This person is deactivated."))
    if person.password_hash is not None:
        raise ServiceError(
            _l("This person has already chosen a password. They can use “Forgot your password?” to log in.")
        )
    audit.record("person.invite", actor=actor, obj=person, detail=_invitation_version(person))
    emails.queue_invitation(person, actor)


def _invitation_version(person: Person) -> str:
    """The token version an invitation was made under (its link dies when the version goes up)."""
    return f"token_version={person.token_version}"


def create_person(actor: Person, email: str, data: PersonData, *, invite: bool = False) -> Person:
    """A new account at `email` (nobody owns it yet: the invitation goes to that address)."""
    require(actor, "directory.people.manage")
    email = auth.normalize_email(email)
    if not email or len(email) > 254:
        raise ServiceError(_l("Enter a valid e-mail address."), "email")
    _check_person_data(actor, data, None, email)
    person = Person(
        email=email,
        display_name=data.display_name.strip(),
        organization_id=data.organization_id,
        preferred_language=data.preferred_language,
        active=True,
    )
    _apply_roles(person, data.roles)
    db.session.add(person)
    try:
        db.session.flush()  # an address taken meanwhile fails here or at the commit
        audit.record("person.create", actor=actor, obj=person, detail="roles=" + ",".join(sorted(data.roles)))
        if invite:
            _queue_invitation(actor, person)
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise _email_clash() from error
    return person


def update_person(actor: Person, person_id: int, data: PersonData) -> Person:
    """Name, organization, language and roles; never the address (email_change.py)."""
    person = get_person(actor, person_id)
    _check_person_data(actor, data, person)
    values = {
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
    db.session.commit()
    return person


def set_active(actor: Person, person_id: int, active: bool) -> Person:
    """Deactivate (signed out everywhere) or reactivate a person; a person of a deactivated organization is
    reactivated only once their organization is."""
    person = get_person(actor, person_id)
    require(actor, "directory.people.deactivate", person)
    person = lock_row(Person, person.id)  # a second click or coordinator waits, then finds it done
    if person.active == active:
        return person
    if active:
        if not person.organization.active:
            raise ServiceError(_l("Reactivate their organization first."))
        person.active = True
        audit.record("person.reactivate", actor=actor, obj=person)
    else:
        deactivation.deactivate(actor, person)
    db.session.commit()
    return person


def set_language(actor: Person, language: str) -> None:
    """The signed-in person changes their own language preference (nobody else's: no person is named)."""
    if language not in ("fr", "en"):
        raise ServiceError(_l("Unknown language."), "preferred_language")
    if actor.preferred_language != language:
        actor.preferred_language = language
        audit.record("person.language", obj=actor, actor=actor, detail=language)
        db.session.commit()


def invite_person(actor: Person, person_id: int) -> None:
    """Queue an e-mail with a signed, expiring link to set a password, in the audit entry's transaction.
    The same invitation asked again within a minute (a double click, two coordinators) sends nothing more."""
    person = lock_row(Person, get_person(actor, person_id).id)
    waiting = person.active and person.password_hash is None
    if waiting and repeats.just_done("person.invite", person, _invitation_version(person)):
        return  # its link still works (a raise of the token version since would have killed it)
    _queue_invitation(actor, person)
    db.session.commit()


_sleep = time.sleep  # (tests replace it)


def request_password_reset(email: str, address: str) -> None:
    """Send a reset link if the address belongs to an active person; the caller says the same either way,
    and the answer takes the same time: the same queries and audit entry on both paths, the e-mail leaves
    after the answer, and no answer comes before PASSWORD_FORGOT_MIN_SECONDS. Capped per client address
    (TooManyAttempts)."""
    started = time.monotonic()
    attempts.take_address(attempts.FORGOT, address)
    person = db.session.scalar(
        select(Person).options(lazyload("*")).where(Person.email == auth.normalize_email(email))
    )
    known = person is not None and person.active
    audit.record(  # anyone can ask; an unknown address is not written down
        "auth.password_reset_requested",
        actor=audit.ANONYMOUS,
        obj=person if known else None,
        outcome=audit.Outcome.SUCCESS if known else audit.Outcome.FAILURE,
        detail="" if known else "no active account",
    )
    if known:
        emails.queue_password_reset(person)
    db.session.commit()
    remaining = current_app.config["PASSWORD_FORGOT_MIN_SECONDS"] - (time.monotonic() - started)
    if remaining > 0:
        _sleep(remaining)
