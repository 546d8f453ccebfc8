"""Ending a person's access: the one code path that deactivating a person and deactivating their
organization share (permission, the flag, every session and link ended, the audit entry). It never commits."""

from __future__ import annotations

from coord import audit
from coord.core.permissions import require
from coord.directory import auth
from coord.directory.models import Person


def deactivate(actor: Person, *people: Person) -> None:
    """Deactivate active people and sign them out everywhere, in a fixed number of statements whatever
    their number (the caller commits)."""
    for person in people:
        require(actor, "directory.people.deactivate", person)
    for person in people:
        person.active = False
        audit.record("person.deactivate", actor=actor, obj=person)
    auth.end_access(*people)  # every session, and every link made so far (the token version goes up)
