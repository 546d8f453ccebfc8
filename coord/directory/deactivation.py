"""Ending a person's access: the one code path that deactivating a person and deactivating their
organization share (permission, the flag, every session and link ended, the audit entry). It never commits."""

from __future__ import annotations

from coord import audit
from coord.core.permissions import require
from coord.directory import auth
from coord.directory.models import Person


def deactivate(actor: Person, person: Person) -> None:
    """Deactivate an active person and sign them out everywhere (the caller commits)."""
    require(actor, "directory.people.deactivate", person)
    person.active = False
    auth.end_access(person)  # every session, and every link made so far (the token version goes up)
    audit.record("person.deactivate", actor=actor, obj=person)
