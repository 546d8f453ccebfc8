"""Changing the address an account belongs to: the new address confirms, the old one is told.

The address is the account's identity (login, password resets, invitations), so whoever could set it
could take the account over. Nobody sets it directly:

- a person asks for a new address on their account page, with their current password;
- an administrator asks for another person's new address (coordinators change nobody's: they ask the
  person to do it);
- either way the new address becomes `pending_email`, the new address receives a signed, expiring,
  single-use link (`tokens.EMAIL_CHANGE`: it carries the new address and dies when anything changed
  meanwhile: another request, a cancellation, a password change, a deactivation), and the current address
  receives a notice without any link: who asked, when, for which address, whom to contact;
- until the link is followed (GET shows a button, the POST confirms), the old address stays. Confirming
  raises the token version (every session and link made before ends) and tells the former address.

Audited: person.email_change_requested (by the asking actor), person.email_change_cancelled,
person.email_changed (by the person, who proved the new address).
"""

from __future__ import annotations

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from coord import audit
from coord.core.errors import ServiceError
from coord.core.locks import lock_row
from coord.core.permissions import require
from coord.directory import attempts, auth, emails, passwords, repeats, tokens
from coord.directory.models import Person
from coord.extensions import db


@dataclass(frozen=True)
class Confirmation:
    """What the confirmation page shows."""

    person: Person
    new_email: str


def _clash() -> ServiceError:
    return ServiceError(_l("Another person already uses this e-mail address."), "email")


def _checked_address(person: Person, new_email: str) -> str:
    address = auth.normalize_email(new_email)
    if not address or len(address) > 254:
        raise ServiceError(_l("Enter a valid e-mail address."), "email")
    try:
        validate_email(address, check_deliverability=False, test_environment=True)
    except EmailNotValidError as error:
        raise ServiceError(_l("Enter a valid e-mail address."), "email") from error
    if address == person.email:
        raise ServiceError(_l("This is already the address of this account."), "email")
    if db.session.scalar(select(Person.id).where(Person.email == address)) is not None:
        raise _clash()
    return address


def _start(actor: Person, person: Person, new_email: str) -> None:
    """Record the pending address, audit, queue both e-mails, commit once."""
    person = lock_row(Person, person.id)  # two clicks at once: the second sees the first's request
    if not person.active:
        raise ServiceError(_l("This person is deactivated."))
    address = _checked_address(person, new_email)
    if address == person.pending_email and repeats.just_done("person.email_change_requested", person):
        return  # the same request again (a double click): its e-mail is on its way, its link still works
    person.pending_email = address
    detail = "by=self" if actor.id == person.id else "by=admin"
    audit.record("person.email_change_requested", actor=actor, obj=person, detail=detail)
    emails.queue_email_change(person, actor)
    db.session.commit()


def request_own_email_change(actor: Person, current_password: str, new_email: str, client) -> str:
    """The signed-in person asks for a new address (their current password proves it is them, not a
    borrowed session; throttled like the other current-password checks: TooManyAttempts). Returns the
    address the link was sent to."""
    attempt = auth.person_attempt(attempts.PASSWORD, actor, client)
    attempts.take(attempt)
    if not passwords.verify_password(actor.password_hash, current_password or ""):
        attempts.failed(attempt)
        audit.record_now(
            "person.email_change_requested",
            obj=actor,
            actor=actor,
            outcome=audit.Outcome.FAILURE,
            detail="wrong password",
        )
        raise ServiceError(_l("The current password is incorrect."), "current_password")
    attempts.succeeded(attempt)
    _start(actor, actor, new_email)
    return actor.pending_email


def request_email_change(actor: Person, person_id: int, new_email: str) -> Person:
    """An administrator asks for another person's new address; it changes when the new address confirms."""
    require(actor, "directory.people.manage")
    person = db.get_or_404(Person, person_id)
    require(actor, "directory.people.change_email", person)
    _start(actor, person, new_email)
    return person


def _cancel(actor: Person, person: Person) -> None:
    if person.pending_email is not None:
        person.pending_email = None  # the link mailed to it no longer matches: dead
        audit.record("person.email_change_cancelled", actor=actor, obj=person)
        db.session.commit()


def cancel_own_email_change(actor: Person) -> None:
    _cancel(actor, actor)


def cancel_email_change(actor: Person, person_id: int) -> Person:
    """Staff who manage the person may cancel a waiting change (e.g. after the old address said "not me")."""
    require(actor, "directory.people.manage")
    person = db.get_or_404(Person, person_id)
    require(actor, "directory.people.manage", person)
    _cancel(actor, person)
    return person


def confirmation(token: str) -> Confirmation | None:
    """What the link's page shows (nothing is written: mail scanners follow links), or None."""
    found = tokens.email_change_for_token(token)
    return Confirmation(*found) if found else None


def confirm_email_change(token: str) -> Person | None:
    """Follow the link: the account moves to the new address, every session and link of the person ends,
    the former address is told. None when the link is not (or no longer) valid; a ServiceError when the
    address was taken by someone else meanwhile (nothing changes)."""
    found = tokens.email_change_for_token(token)
    if found is None:
        return None
    person, address = found
    if db.session.scalar(select(Person.id).where(Person.email == address)) is not None:
        raise _clash()
    old_email = person.email
    person.email = address
    person.pending_email = None
    auth.end_access(person)
    audit.record("person.email_changed", actor=person, obj=person)
    emails.queue_email_changed(person, old_email)
    try:
        db.session.commit()
    except IntegrityError as error:  # taken in the same instant
        db.session.rollback()
        raise _clash() from error
    return person
