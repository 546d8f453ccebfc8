"""The Law 25 registers: disclosures (read, filter, export) and confidentiality incidents (list, record,
change; a register keeps its lines, so nothing is deleted), and the log of purges.

The coordinator reads them (`referrals.registers.read`, `referrals.incidents.manage`); every read and every
change is audited. A participant's own disclosures are on their access page (`disclosures_of`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm
from werkzeug.exceptions import NotFound

from coord import audit
from coord.core.csv_export import neutralized
from coord.core.errors import ServiceError
from coord.core.ids import MAX_ID
from coord.core.localtime import LOCAL_TZ, local_today, to_local
from coord.core.permissions import require
from coord.core.text import check_multi_line
from coord.directory.models import Organization, Person
from coord.extensions import db
from coord.referrals.models import (
    ConfidentialityIncident,
    Consent,
    Disclosure,
    Participant,
    PurgeRun,
    Purpose,
    RiskLevel,
    participant_subject,
)

PER_PAGE = 50
MAX_EXPORTED = 100_000
MAX_TEXT = 10_000
MAX_PEOPLE = 10_000_000


# Disclosures -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DisclosureFilter:
    """The register's filters: a period (local days, inclusive), an organization (from or to), a purpose."""

    since: date | None = None
    until: date | None = None
    organization_id: int | None = None
    purpose: str = ""

    def describe(self) -> str:
        """For the audit entry's detail: the filters, never content."""
        parts = [f"{f.name}={getattr(self, f.name)}" for f in fields(self) if getattr(self, f.name)]
        return " ".join(parts)


@dataclass(frozen=True)
class DisclosureLine:
    """One line as the register shows it."""

    at: datetime
    participant_code: str | None  # None once the participant is anonymized
    what: str
    purpose: str
    from_organization: str
    to_organization: str
    to_person: str
    consent_given_on: date | None
    consent_expires_on: date | None
    actor: str


@dataclass(frozen=True)
class DisclosuresPage:
    lines: list[DisclosureLine]
    pagination: object


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


def _check_filters(filters: DisclosureFilter) -> None:
    if filters.since and filters.until and filters.until < filters.since:
        raise ServiceError(_l("The end of the period cannot be before its start."), "until")
    if filters.purpose and filters.purpose not in set(Purpose):
        raise ServiceError(_l("Choose a purpose from the list."), "purpose")
    if filters.organization_id is not None and not 0 < filters.organization_id <= MAX_ID:
        raise ServiceError(_l("Choose an organization from the list."), "organization")


def _disclosures_query(filters: DisclosureFilter) -> sa.Select:
    query = sa.select(Disclosure).options(
        orm.joinedload(Disclosure.participant).lazyload("*"),
        orm.joinedload(Disclosure.from_organization),
        orm.joinedload(Disclosure.to_organization),
        orm.joinedload(Disclosure.to_person).lazyload("*"),
    )
    if filters.since:
        query = query.where(Disclosure.at >= _local_midnight(filters.since))
    if filters.until:
        query = query.where(Disclosure.at < _local_midnight(filters.until + timedelta(days=1)))
    if filters.organization_id is not None:
        query = query.where(
            sa.or_(
                Disclosure.from_organization_id == filters.organization_id,
                Disclosure.to_organization_id == filters.organization_id,
            )
        )
    if filters.purpose:
        query = query.where(Disclosure.purpose == filters.purpose)
    return query.order_by(Disclosure.at.desc(), Disclosure.id.desc())


def _lines(rows: list[Disclosure]) -> list[DisclosureLine]:
    """The rows with their consent (the basis) and who disclosed, in two more queries at most."""
    consent_ids = {row.consent_id for row in rows if row.consent_id}
    consents = (
        {c.id: c for c in db.session.scalars(sa.select(Consent).where(Consent.id.in_(consent_ids)))}
        if consent_ids
        else {}
    )
    actor_ids = {row.actor_id for row in rows if row.actor_id}
    names = (
        dict(
            db.session.execute(
                sa.select(Person.id, Person.display_name).where(Person.id.in_(actor_ids))
            ).all()
        )
        if actor_ids
        else {}
    )
    lines = []
    for row in rows:
        consent = consents.get(row.consent_id)
        lines.append(
            DisclosureLine(
                at=row.at,
                participant_code=row.participant.code,
                what=row.what,
                purpose=row.purpose,
                from_organization=row.from_organization.short_name,
                to_organization=row.to_organization.short_name,
                to_person=row.to_person.display_name if row.to_person else "",
                consent_given_on=consent.given_on if consent else None,
                consent_expires_on=consent.expires_on if consent else None,
                actor=names.get(row.actor_id, ""),
            )
        )
    return lines


def disclosures_page(actor: Person, filters: DisclosureFilter, page: int = 1) -> DisclosuresPage:
    """A page of the register, newest first (coordinator); the read is audited with its filters."""
    require(actor, "referrals.registers.read")
    _check_filters(filters)
    pagination = db.paginate(_disclosures_query(filters), page=page, per_page=PER_PAGE, error_out=False)
    lines = _lines(list(pagination.items))
    audit.record(
        "disclosures.read",
        actor=actor,
        object_type="disclosure",
        detail=f"page={page} {filters.describe()}".strip(),
    )
    db.session.commit()
    return DisclosuresPage(lines, pagination)


def export_filename(filters: DisclosureFilter, today: date | None = None) -> str:
    """ASCII only, no user text: registre-communications-YYYY-MM-DD.csv."""
    return f"registre-communications-{(today or local_today()).isoformat()}.csv"


def export_disclosures(actor: Person, filters: DisclosureFilter, header: list[str]) -> str:
    """The register with the same filters as CSV text (cells neutralized); the export is audited."""
    require(actor, "referrals.registers.read")
    _check_filters(filters)
    rows = list(db.session.scalars(_disclosures_query(filters).limit(MAX_EXPORTED)).unique())
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralized(cell) for cell in header])
    for line in _lines(rows):
        writer.writerow(
            [
                neutralized(cell)
                for cell in (
                    to_local(line.at).strftime("%Y-%m-%d %H:%M"),
                    line.participant_code or "",
                    line.what,
                    line.purpose,
                    line.from_organization,
                    line.to_organization,
                    line.to_person,
                    line.consent_given_on.isoformat() if line.consent_given_on else "",
                    line.consent_expires_on.isoformat() if line.consent_expires_on else "",
                    line.actor,
                )
            ]
        )
    audit.record(
        "disclosures.export.read",
        actor=actor,
        object_type="disclosure",
        detail=f"rows={len(rows)} {filters.describe()}".strip(),
    )
    db.session.commit()
    return out.getvalue()


def disclosure_organizations(actor: Person) -> list[Organization]:
    """The organizations the filter offers (partners first); no participant data."""
    require(actor, "referrals.registers.read")
    return list(
        db.session.scalars(
            sa.select(Organization).order_by(Organization.is_partner.desc(), Organization.short_name)
        )
    )


def disclosures_of(actor: Person, participant_id: int) -> list[DisclosureLine]:
    """A participant's own disclosures, newest first: for their access page (their intervenant of reference
    and the coordinator, `referrals.participants.access_log`); the read is audited under their subject."""
    participant = db.session.get(Participant, participant_id) if 0 < participant_id <= MAX_ID else None
    if participant is None:
        raise NotFound()
    require(actor, "referrals.participants.access_log", participant)
    rows = list(
        db.session.scalars(
            _disclosures_query(DisclosureFilter()).where(Disclosure.participant_id == participant.id)
        ).unique()
    )
    audit.record(
        "participant.disclosures.read",
        actor=actor,
        object_type="participant",
        object_id=participant.id,
        subject=participant_subject(participant.id),
    )
    db.session.commit()
    return _lines(rows)


# Confidentiality incidents ----------------------------------------------------------------------------


@dataclass(frozen=True)
class IncidentData:
    """What the register keeps of an incident (Law 25's regulation)."""

    data_concerned: str
    circumstances: str
    occurred_on: date | None
    discovered_on: date | None
    people_count: int | None
    risk_level: str
    risk_assessment: str = ""
    commission_notified_on: date | None = None
    people_notified_on: date | None = None
    notices: str = ""
    measures: str = ""


@dataclass(frozen=True)
class IncidentRow:
    incident: ConfidentialityIncident
    notice_due: bool  # serious risk and a notice date missing: "avis à donner"


def notice_due(incident: ConfidentialityIncident) -> bool:
    """A serious risk of harm needs both notices (the Commission, the people concerned)."""
    return incident.risk_level == RiskLevel.SERIOUS and (
        incident.commission_notified_on is None or incident.people_notified_on is None
    )


def _required_text(value: str, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError(message, field)
    _text(value, field)
    return value


def _text(value: str, field: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_TEXT:
        raise ServiceError(_l("Keep this text under 10,000 characters."), field)
    check_multi_line(value, field)
    return value


def validate_incident(data: IncidentData, today: date | None = None) -> dict:
    """The columns to write, or a ServiceError naming the field; nothing is written here."""
    today = today or local_today()
    values = {
        "data_concerned": _required_text(
            data.data_concerned, "data_concerned", _l("Say which personal information is concerned.")
        ),
        "circumstances": _required_text(
            data.circumstances, "circumstances", _l("Describe the circumstances of the incident.")
        ),
    }
    if not isinstance(data.occurred_on, date):
        raise ServiceError(_l("Give the date of the incident."), "occurred_on")
    if not isinstance(data.discovered_on, date):
        raise ServiceError(_l("Give the date the incident was discovered."), "discovered_on")
    if data.occurred_on > today:
        raise ServiceError(_l("The date of the incident cannot be in the future."), "occurred_on")
    if data.discovered_on > today:
        raise ServiceError(_l("The date of discovery cannot be in the future."), "discovered_on")
    if data.discovered_on < data.occurred_on:
        raise ServiceError(_l("The incident cannot be discovered before it happened."), "discovered_on")
    if data.people_count is None:
        raise ServiceError(_l("Give the number of people concerned (0 if none)."), "people_count")
    if not 0 <= data.people_count <= MAX_PEOPLE:
        raise ServiceError(_l("The number of people concerned cannot be negative."), "people_count")
    if data.risk_level not in set(RiskLevel):
        raise ServiceError(_l("Choose the risk: low or serious."), "risk_level")
    for name in ("commission_notified_on", "people_notified_on"):
        day = getattr(data, name)
        if day is None:
            continue
        if not isinstance(day, date):
            raise ServiceError(_l("Give the date as YYYY-MM-DD."), name)
        if day > today:
            raise ServiceError(_l("A notice cannot be dated in the future."), name)
        if day < data.occurred_on:
            raise ServiceError(_l("A notice cannot be dated before the incident."), name)
    values.update(
        occurred_on=data.occurred_on,
        discovered_on=data.discovered_on,
        people_count=data.people_count,
        risk_level=data.risk_level,
        risk_assessment=_text(data.risk_assessment, "risk_assessment"),
        commission_notified_on=data.commission_notified_on,
        people_notified_on=data.people_notified_on,
        notices=_text(data.notices, "notices"),
        measures=_text(data.measures, "measures"),
    )
    return values


def incidents_page(actor: Person) -> list[IncidentRow]:
    """Every incident, the most recently discovered first; the read is audited."""
    require(actor, "referrals.incidents.manage")
    rows = db.session.scalars(
        sa.select(ConfidentialityIncident).order_by(
            ConfidentialityIncident.discovered_on.desc(), ConfidentialityIncident.id.desc()
        )
    ).all()
    audit.record("incidents.read", actor=actor, object_type="confidentiality_incident")
    db.session.commit()
    return [IncidentRow(incident, notice_due(incident)) for incident in rows]


def get_incident(actor: Person, incident_ref: str) -> ConfidentialityIncident:
    """The incident (404 when there is none, 403 unless the actor manages the register)."""
    incident = db.session.scalar(
        sa.select(ConfidentialityIncident).where(ConfidentialityIncident.ref == incident_ref)
    )
    if incident is None:
        raise NotFound()
    require(actor, "referrals.incidents.manage", incident)
    return incident


def check_incident_manager(actor: Person) -> None:
    """For the blank form: refused (403, audited) unless the actor manages the register."""
    require(actor, "referrals.incidents.manage")


def record_incident(actor: Person, data: IncidentData) -> ConfidentialityIncident:
    require(actor, "referrals.incidents.manage")
    values = validate_incident(data)
    incident = ConfidentialityIncident(**values, recorded_by_id=actor.id)
    db.session.add(incident)
    db.session.flush()
    audit.record("incident.record", actor=actor, obj=incident, detail=f"risk={incident.risk_level}")
    db.session.commit()
    return incident


def change_incident(actor: Person, incident_ref: str, data: IncidentData) -> ConfidentialityIncident:
    """Change a line; the audit entry names the fields that changed (not their text)."""
    incident = get_incident(actor, incident_ref)
    values = validate_incident(data)
    changed = sorted(name for name, value in values.items() if getattr(incident, name) != value)
    if not changed:
        return incident
    for name in changed:
        setattr(incident, name, values[name])
    audit.record("incident.change", actor=actor, obj=incident, detail=" ".join(changed))
    db.session.commit()
    return incident


# Purges -------------------------------------------------------------------------------------------------


def purge_runs(actor: Person, limit: int = 100) -> list[PurgeRun]:
    """The latest runs of the retention purge, newest first (no participant in them)."""
    require(actor, "referrals.registers.read")
    return list(
        db.session.scalars(sa.select(PurgeRun).order_by(PurgeRun.at.desc(), PurgeRun.id.desc()).limit(limit))
    )
