"""The directory's e-mails: queued with ids only; the signed links are made when the message is sent."""

from __future__ import annotations

from datetime import datetime

from flask import url_for

from coord.core.localtime import utcnow
from coord.directory import tokens
from coord.directory.models import Person
from coord.extensions import db
from coord.notify.outbox import Undeliverable, context_builder, queue_email


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


def _recipient(message) -> Person:
    """The person the link is for, still active and still at the address the message goes to."""
    person = db.session.get(Person, message.person_id) if message.person_id else None
    if person is None or not person.active:
        raise Undeliverable("the person is no longer active")
    if person.email != message.to_address:
        raise Undeliverable("the person's address has changed")
    return person


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


@context_builder("directory/failed_attempts")
def _failed_attempts_context(message) -> dict:
    return {
        "person": _recipient(message),
        "at": datetime.fromisoformat(message.context["at"]),
        "forgot_link": url_for("directory_auth.forgot_password", _external=True),
    }
