"""Reading the audit log: staff only, actors named by their e-mail address."""

from __future__ import annotations

from dataclasses import replace

from coord import audit
from coord.core.permissions import require
from coord.directory.auth import find_person_by_email
from coord.directory.people import display_names


def check_reader(actor) -> None:
    require(actor, "audit.read")


def search(actor, filters: audit.AuditFilter, actor_email: str, page: int):
    """(the page of entries, their actors' names by id); `actor_email` filters by who acted."""
    require(actor, "audit.read")
    if actor_email:
        person = find_person_by_email(actor_email)
        filters = replace(filters, actor_id=person.id if person else -1)
    pagination = audit.search(filters, page)
    return pagination, display_names({entry.actor_id for entry in pagination.items if entry.actor_id})
