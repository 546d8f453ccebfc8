"""What the registrant list of a session shows (rule training.teach): the seats with their attendance, the
waiting list in order, the offers with their deadline, the people whose e-mail is not yet verified, and the
cancelled ones folded away. A fixed number of queries, whatever the number of registrations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from coord import audit
from coord.core.localtime import utcnow
from coord.core.permissions import may, require
from coord.directory.models import Person
from coord.extensions import db
from coord.training.attestations import counts
from coord.training.lookup import find_session
from coord.training.models import Registration, RegistrationStatus, TrainingSession

EXPORTED = "training.registrants.export.read"


@dataclass
class Row:
    registration: Registration
    name: str
    organization: str
    position: int | None = None  # on the waiting list, 1..n

    @property
    def ref(self) -> str:
        return self.registration.ref

    @property
    def attendance(self) -> str:
        return self.registration.attendance or ""

    @property
    def has_attestation(self) -> bool:
        return counts(self.registration)


@dataclass
class RegistrantsPage:
    session: TrainingSession
    seats: list[Row] = field(default_factory=list)
    waiting: list[Row] = field(default_factory=list)
    offers: list[Row] = field(default_factory=list)
    unverified: list[Row] = field(default_factory=list)
    gone: list[Row] = field(default_factory=list)  # cancelled, or an offer that lapsed
    can_mark: bool = False  # the session has started: attendance may be marked
    can_manage: bool = False  # the coordinator: register someone, cancel a registration, export
    can_cancel: bool = False  # the coordinator, before the session begins (the service refuses after)
    starts_at: datetime | None = None

    @property
    def seats_left(self) -> int:
        return max(0, self.session.capacity - len(self.seats) - len(self.offers))


def organization_of(registration: Registration) -> str:
    if registration.organization is not None:
        return registration.organization.name
    if registration.organization_name:
        return registration.organization_name
    if registration.person is not None and registration.person.organization is not None:
        return registration.person.organization.name
    return ""


def registrations_of(session_id: int) -> list[Registration]:
    """Every registration of the session, with its person, their organization and its own, in one query."""
    return list(
        db.session.scalars(
            sa.select(Registration)
            .where(Registration.session_id == session_id)
            .options(
                orm.joinedload(Registration.person).joinedload(Person.organization),
                orm.joinedload(Registration.organization),
            )
            .order_by(Registration.id)
        ).unique()
    )


def registrants_page(actor: Person, session_ref: str, now: datetime | None = None) -> RegistrantsPage:
    session = find_session(session_ref)
    require(actor, "training.teach", session)
    begun = (now or utcnow()) >= session.starts_at
    manage = may(actor, "training.manage")
    page = RegistrantsPage(
        session=session,
        can_mark=begun and session.status != "cancelled",
        can_manage=manage,
        can_cancel=manage and not begun and session.status != "cancelled",
        starts_at=session.starts_at,
    )
    rows = [
        Row(registration, registration.display_name, organization_of(registration))
        for registration in registrations_of(session.id)
    ]
    by_status: dict[str, list[Row]] = {}
    for row in rows:
        by_status.setdefault(row.registration.status, []).append(row)
    page.seats = sorted(by_status.get(RegistrationStatus.REGISTERED, []), key=lambda row: row.name.casefold())
    page.offers = sorted(
        by_status.get(RegistrationStatus.OFFERED, []), key=lambda row: row.registration.offer_expires_at
    )
    page.waiting = sorted(
        by_status.get(RegistrationStatus.WAITING, []), key=lambda row: row.registration.queue_number or 0
    )
    for position, row in enumerate(page.waiting, 1):
        row.position = position
    page.unverified = by_status.get(RegistrationStatus.UNVERIFIED, [])
    page.gone = by_status.get(RegistrationStatus.CANCELLED, []) + by_status.get(RegistrationStatus.LAPSED, [])
    return page


CSV_HEADER = (
    _l("Name"),
    _l("Organization"),
    _l("E-mail address"),
    _l("Status"),
    _l("Position"),
    _l("Attendance"),
)


def _csv_labels() -> tuple[dict[str, str], dict[str, str]]:
    statuses = {
        "registered": gettext("Registered"),
        "offered": gettext("Seat offered"),
        "waiting": gettext("Waiting list"),
        "unverified": gettext("Address not confirmed"),
    }
    marks = {"present": gettext("Present"), "partial": gettext("Partly present"), "absent": gettext("Absent")}
    return statuses, marks


def csv_rows(actor: Person, session_ref: str) -> tuple[TrainingSession, list[str], list[list[str]]]:
    """The coordinator's export of the list, in the reader's language: name, organization, address,
    status, position, attendance."""
    require(actor, "training.manage")
    page = registrants_page(actor, session_ref)
    statuses, marks = _csv_labels()
    rows = []
    for group, status in (
        (page.seats, "registered"),
        (page.offers, "offered"),
        (page.waiting, "waiting"),
        (page.unverified, "unverified"),
    ):
        for row in group:
            rows.append(
                [
                    row.name,
                    row.organization,
                    row.registration.address,
                    statuses[status],
                    str(row.position or ""),
                    marks.get(row.attendance or "", ""),
                ]
            )
    audit.record(EXPORTED, actor=actor, obj=page.session)
    db.session.commit()
    return page.session, [str(label) for label in CSV_HEADER], rows
