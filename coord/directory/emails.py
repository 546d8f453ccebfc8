"""The directory's e-mails: queued with ids only; the signed links are made when the message is sent."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_datetime
from flask import current_app, url_for

from coord.core.localtime import LOCAL_TZ, utcnow
from coord.directory import tokens
from coord.directory.models import Person
from coord.extensions import db
from coord.i18n import babel_locale
from coord.notify.outbox import Undeliverable, context_builder, queue_email

# "12 mars 2026 à 9 h 30" (OQLF), "March 12, 2026 at 9:30 a.m."
WHEN_PATTERNS = {"fr": "d MMMM yyyy 'à' H 'h' mm", "en": "MMMM d, yyyy 'at' h:mm a"}


def queue_invitation(person: Person, inviter: Person) -> None:
    """Queue the invitation in the current transaction (the caller commits)."""
    queue_email(person, "directory/invitation", context={"inviter": inviter.display_name})


def queue_password_reset(person: Person) -> None:
    """Queue the reset link; it leaves once the answer has gone (the answer's timing must not show it)."""
    queue_email(person, "directory/password_reset", after_response=True)


def queue_failed_attempts(
    person: Person, kind: str, *, failures: int, minutes: int, hint: str, dedupe_key: str
):
    """Queue the alert to the owner of an account with repeated failures (the caller commits); None when
    one with this dedupe key was already queued. No secret, and no address beyond a coarse hint."""
    context = {
        "kind": kind,
        "failures": failures,
        "minutes": minutes,
        "hint": hint,
        "at": utcnow().isoformat(),
    }
    return queue_email(person, "directory/failed_attempts", context=context, dedupe_key=dedupe_key)


def queue_email_change(person: Person, requested_by: Person) -> None:
    """The confirmation link to the new address (`person.pending_email`), and a notice without any link
    to the current one: who asked, when, for which address, whom to contact (the caller commits)."""
    by_self = requested_by.id == person.id
    queue_email(
        person,
        "directory/email_change_confirm",
        to_address=person.pending_email,
        context={"by_self": by_self, "requested_by": requested_by.display_name},
    )
    queue_email(
        person,
        "directory/email_change_notice",
        to_address=person.email,
        context={
            "by_self": by_self,
            "requested_by": requested_by.display_name,
            "requested_at": utcnow().isoformat(),
            "new_email": person.pending_email,
        },
    )


def queue_email_changed(person: Person, old_email: str) -> None:
    """Tell the former address that the change is done (no link; the caller commits)."""
    queue_email(
        person,
        "directory/email_changed",
        to_address=old_email,
        context={"new_email": person.email, "changed_at": utcnow().isoformat()},
    )


def _recipient(message) -> Person:
    """The person the link is for, still active and still at the address the message goes to."""
    person = db.session.get(Person, message.person_id) if message.person_id else None
    if person is None or not person.active:
        raise Undeliverable("the person is no longer active")
    if person.email != message.to_address:
        raise Undeliverable("the person's address has changed")
    return person


def _when(iso: str, language: str) -> str:
    pattern = WHEN_PATTERNS.get(language, WHEN_PATTERNS["fr"])
    return format_datetime(
        datetime.fromisoformat(iso), pattern, tzinfo=LOCAL_TZ, locale=babel_locale(language)
    )


@context_builder("directory/invitation")
def _invitation_context(message) -> dict:
    person = _recipient(message)
    if person.password_hash is not None:
        raise Undeliverable("the person has already chosen a password")
    token = tokens.make_token(person, tokens.INVITE)
    return {
        "person": person,
        "link": url_for("directory_auth.accept_invitation", token=token, _external=True),
        "days": tokens.max_age(tokens.INVITE).days,
    }


@context_builder("directory/password_reset")
def _password_reset_context(message) -> dict:
    person = _recipient(message)
    token = tokens.make_token(person, tokens.RESET)
    return {
        "person": person,
        "link": url_for("directory_auth.reset_password", token=token, _external=True),
        "minutes": int(tokens.max_age(tokens.RESET).total_seconds() // 60),
    }


@context_builder("directory/email_change_confirm")
def _email_change_confirm_context(message) -> dict:
    """The link is signed now, for the address still waiting for confirmation at this very address."""
    person = db.session.get(Person, message.person_id) if message.person_id else None
    if person is None or not person.active:
        raise Undeliverable("the person is no longer active")
    if person.pending_email != message.to_address:
        raise Undeliverable("this address is no longer waiting for confirmation")
    token = tokens.make_token(person, tokens.EMAIL_CHANGE)
    return {
        "person": person,
        "link": url_for("directory_auth.confirm_email", token=token, _external=True),
        "hours": int(tokens.max_age(tokens.EMAIL_CHANGE).total_seconds() // 3600),
    }


def _notice_context(message, moment_key: str) -> dict:
    person = db.session.get(Person, message.person_id) if message.person_id else None
    if person is None:
        raise Undeliverable("the person no longer exists")
    return {
        "person": person,
        "when": _when(message.context[moment_key], message.language),
        "contact": current_app.config["ACCOUNT_CONTACT_EMAIL"],
    }


@context_builder("directory/email_change_notice")
def _email_change_notice_context(message) -> dict:
    return _notice_context(message, "requested_at")


@context_builder("directory/email_changed")
def _email_changed_context(message) -> dict:
    return _notice_context(message, "changed_at")


@context_builder("directory/failed_attempts")
def _failed_attempts_context(message) -> dict:
    return {
        "person": _recipient(message),
        "at": datetime.fromisoformat(message.context["at"]),
        "forgot_link": url_for("directory_auth.forgot_password", _external=True),
    }
