"""Real values for the directory's URL variables, taken from the demo data (for the garbage sweep)."""

from __future__ import annotations

from sqlalchemy import select

from coord.directory import tokens
from coord.directory.models import Committee, Person
from coord.extensions import db


def route_samples() -> dict[str, object]:
    person = db.session.scalar(select(Person).where(Person.email == "partner@demo.coord.test"))
    return {
        "person_id": person.id,
        "organization_id": person.organization_id,
        "committee_id": db.session.scalar(select(Committee.id).order_by(Committee.id)),
        "directory_auth.reset_password:token": tokens.make_token(person, tokens.RESET),
        "directory_auth.accept_invitation:token": tokens.make_token(person, tokens.INVITE),
        "directory_auth.confirm_email:token": tokens.email_change_token(person, "sample@demo.coord.test"),
    }
