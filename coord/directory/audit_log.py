"""Reading the audit log: staff only, actors named by their e-mail address."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from coord import audit
from coord.core.permissions import require
from coord.directory.auth import find_person_by_email
from coord.directory.models import Committee, Organization, Person
from coord.directory.people import display_names
from coord.extensions import db
from coord.i18n import current_language


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


NAMED = {  # object types named on the log by a column that is no confidential content
    "person": (Person, Person.display_name),
    "organization": (Organization, Organization.name),
    "committee": (Committee, Committee.name_fr),
}


def object_names(entries) -> dict[tuple[str, str], str]:
    """(object_type, object_id) -> name for the people, organizations and committees of these entries."""
    names: dict[tuple[str, str], str] = {}
    for object_type, (model, column) in NAMED.items():
        ids = {int(e.object_id) for e in entries if e.object_type == object_type and e.object_id.isdigit()}
        if ids:
            if model is Committee and current_language() == "en":
                column = Committee.name_en
            rows = db.session.execute(select(model.id, column).where(model.id.in_(ids)))
            names.update({(object_type, str(row[0])): row[1] for row in rows})
    return names
