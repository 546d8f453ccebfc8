"""Committees: the list with their number of active members, a committee's page, adding, changing and
removing members. Each operation checks permission first and commits once."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from coord import audit
from coord.core.errors import ServiceError
from coord.core.ids import MAX_ID
from coord.core.locks import lock_row
from coord.core.permissions import may, require
from coord.directory.models import Committee, CommitteeMembership, CommitteeRole, Person
from coord.directory.people import person_choices
from coord.extensions import db


@dataclass(frozen=True)
class CommitteePage:
    committee: Committee
    members: list[CommitteeMembership]  # active people, by name
    candidates: list[tuple[int, str]]  # people who may be added (empty unless can_manage)
    can_manage: bool  # add, change and remove members


def list_committees(actor: Person) -> list[tuple[Committee, int]]:
    require(actor, "directory.committees.view")
    counts = (
        select(CommitteeMembership.committee_id, func.count(CommitteeMembership.id).label("n"))
        .join(CommitteeMembership.person)
        .where(Person.active.is_(True))
        .group_by(CommitteeMembership.committee_id)
        .subquery()
    )
    query = (
        select(Committee, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.committee_id == Committee.id)
        .where(Committee.active.is_(True))
        .order_by(Committee.code)
    )
    return [(committee, count) for committee, count in db.session.execute(query)]


def openable_committees(actor: Person, rows: list[tuple[Committee, int]]) -> frozenset[int]:
    """The listed committees whose page the actor may open (the list links only those)."""
    return frozenset(c.id for c, _ in rows if may(actor, "directory.committees.view", c))


def committee_page(actor: Person, committee_id: int) -> CommitteePage:
    require(actor, "directory.committees.view")
    committee = db.get_or_404(Committee, committee_id)
    require(actor, "directory.committees.view", committee)
    members = db.session.scalars(
        select(CommitteeMembership)
        .join(CommitteeMembership.person)
        .where(CommitteeMembership.committee_id == committee.id, Person.active.is_(True))
        .order_by(func.lower(Person.display_name))
    ).all()
    can_manage = may(actor, "directory.committees.manage", committee)
    return CommitteePage(committee, list(members), person_choices() if can_manage else [], can_manage)


def add_member(actor: Person, committee_id: int, person_id: int, role: str = CommitteeRole.MEMBER) -> None:
    """Add a person to the committee, or change their role in it."""
    require(actor, "directory.committees.manage")
    committee = db.get_or_404(Committee, committee_id)
    require(actor, "directory.committees.manage", committee)
    committee = lock_row(Committee, committee.id)  # two clicks adding the same person: one membership
    valid_id = isinstance(person_id, int) and 0 < person_id <= MAX_ID
    person = db.session.get(Person, person_id) if valid_id else None
    if person is None or not person.active:
        raise ServiceError(_l("Choose an active person."), "person_id")
    if role not in {item.value for item in CommitteeRole}:
        raise ServiceError(_l("Unknown committee role."), "role")
    membership = db.session.scalar(
        select(CommitteeMembership).where(
            CommitteeMembership.committee_id == committee.id, CommitteeMembership.person_id == person.id
        )
    )
    if membership is None:
        membership = CommitteeMembership(committee_id=committee.id, person_id=person.id, role=role)
        db.session.add(membership)
    else:
        membership.role = role
    audit.record("committee.member_add", actor=actor, obj=committee, detail=f"person={person.id};role={role}")
    db.session.commit()


def remove_member(actor: Person, committee_id: int, person_id: int) -> None:
    require(actor, "directory.committees.manage")
    committee = db.get_or_404(Committee, committee_id)
    require(actor, "directory.committees.manage", committee)
    committee = lock_row(Committee, committee.id)  # a second click finds the member removed
    membership = db.session.scalar(
        select(CommitteeMembership).where(
            CommitteeMembership.committee_id == committee.id, CommitteeMembership.person_id == person_id
        )
    )
    if membership is not None:
        db.session.delete(membership)
        audit.record("committee.member_remove", actor=actor, obj=committee, detail=f"person={person_id}")
        db.session.commit()
