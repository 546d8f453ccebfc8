"""A participant's file: record, "Mes participant·es", the page, change, close, reopen, the access log.

Every service takes the acting person and the participant's random `ref`, asks the rule first (a refusal
is audited with the participant as subject), validates, changes, audits and commits once. Every read of a
participant's data is audited too ("participant.read", "participant.list.read",
"participant.access_log.read": a GET writes only entries whose action ends in ".read").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound

from coord import audit, audit_labels
from coord.core.errors import ServiceError
from coord.core.localtime import local_today
from coord.core.permissions import may, require
from coord.core.text import check_multi_line
from coord.directory.models import Organization, Person
from coord.extensions import db
from coord.referrals.intake import intake_organizations
from coord.referrals.models import (
    MAX_AGE,
    MIN_AGE,
    ClosingReason,
    Consent,
    Gender,
    Participant,
    ParticipantStatus,
    Referral,
    ReferralState,
    participant_subject,
)

CODE_PREFIX = "SPH"
CREATE_ATTEMPTS = 5  # a concurrent creation took the number: try the next one
MAX_NOTE = 4000
LOG_PER_PAGE = 50
MAX_LISTED = 500

AGE_MESSAGE = _l("The age at intake must be between 12 and 24.")
CRITERIA_MESSAGE = _l(
    "Both admission criteria are required: the young person recognizes the harms and takes part "
    "voluntarily (participation is voluntary)."
)


@dataclass(frozen=True)
class ParticipantData:
    """What the record and change forms give: the age only at intake, the rest on both."""

    gender: str | None
    recognizes_harms: bool
    voluntary: bool
    private_note: str = ""
    age_at_intake: int | None = None


def find_participant(participant_ref: str) -> Participant:
    """The participant with that ref (404 when there is none); the operations check permission."""
    participant = db.session.scalar(sa.select(Participant).where(Participant.ref == participant_ref))
    if participant is None:
        raise NotFound()
    return participant


def _check(data: ParticipantData, *, with_age: bool) -> None:
    if with_age:
        if data.age_at_intake is None:
            raise ServiceError(_l("Give the age at intake."), "age_at_intake")
        if not MIN_AGE <= data.age_at_intake <= MAX_AGE:
            raise ServiceError(AGE_MESSAGE, "age_at_intake")
    if data.gender and data.gender not in set(Gender):
        raise ServiceError(_l("Choose from the list."), "gender")
    if not (data.recognizes_harms and data.voluntary):
        raise ServiceError(CRITERIA_MESSAGE, "voluntary")
    check_multi_line(data.private_note, "private_note")
    if len(data.private_note or "") > MAX_NOTE:
        raise ServiceError(_l("The note is too long (at most 4000 characters)."), "private_note")


def _next_number(year: int) -> int:
    highest = db.session.scalar(
        sa.select(sa.func.max(Participant.code_number)).where(Participant.code_year == year)
    )
    return (highest or 0) + 1


def format_code(year: int, number: int) -> str:
    return f"{CODE_PREFIX}-{year}-{number:04d}"


def creation_allowed(actor: Person) -> None:
    """For the record form: 403 (audited) unless the actor may record participants."""
    require(actor, "referrals.participants.create")


def create_participant(actor: Person, data: ParticipantData) -> Participant:
    """Record a participant held by the actor (intervenant of reference) for the actor's organization.

    The code SPH-<year>-<NNNN> is numbered per year from 1; two creations at once cannot take the same
    number (unique (code_year, code_number)): the loser rolls back and takes the next one."""
    require(actor, "referrals.participants.create")
    _check(data, with_age=True)
    for _attempt in range(CREATE_ATTEMPTS):
        today = local_today()
        number = _next_number(today.year)
        participant = Participant(
            code=format_code(today.year, number),
            code_year=today.year,
            code_number=number,
            age_at_intake=data.age_at_intake,
            intake_date=today,
            gender=data.gender or None,
            organization_id=actor.organization_id,
            intervenant_id=actor.id,
            recognizes_harms=True,
            voluntary=True,
            status=ParticipantStatus.ACTIVE,
            private_note=(data.private_note or "").strip(),
            created_by_id=actor.id,
        )
        db.session.add(participant)
        try:
            db.session.flush()
            audit.record("participant.create", obj=participant, actor=actor)
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            continue
        return participant
    raise ServiceError(_l("The file could not be numbered, try again."), None)


# "Mes participant·es" -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MyParticipants:
    held: list[Participant]  # the files I hold: active first, then closed
    referred: list[Participant]  # reached through an accepted referral to my intake


def my_participants(actor: Person) -> MyParticipants:
    require(actor, "referrals.participants.list")
    held = list(
        db.session.scalars(
            sa.select(Participant)
            .where(Participant.intervenant_id == actor.id, Participant.anonymized_at.is_(None))
            .order_by(
                (Participant.status != ParticipantStatus.ACTIVE).asc(),
                Participant.intake_date.desc(),
                Participant.id.desc(),
            )
            .limit(MAX_LISTED)
        )
    )
    referred: list[Participant] = []
    organizations = intake_organizations(actor)
    if organizations:
        candidates = db.session.scalars(
            sa.select(Participant)
            .join(Referral, Referral.participant_id == Participant.id)
            .where(
                Referral.state == ReferralState.ACCEPTED,
                Referral.to_organization_id.in_(organizations),
                Participant.anonymized_at.is_(None),
                sa.or_(Participant.intervenant_id.is_(None), Participant.intervenant_id != actor.id),
            )
            .distinct()
            .order_by(Participant.intake_date.desc(), Participant.id.desc())
            .limit(MAX_LISTED)
        )
        referred = [p for p in candidates if may(actor, "referrals.participants.view", p)]
    for participant in [*held, *referred]:
        audit.record("participant.list.read", obj=participant, actor=actor)
    db.session.commit()
    return MyParticipants(held, referred)


# The participant's page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentRow:
    consent: Consent
    status: str  # "active", "expired", "withdrawn", "upcoming"
    organizations: list[Organization]
    can_withdraw: bool


@dataclass(frozen=True)
class ParticipantPage:
    participant: Participant
    can_edit: bool  # the holder: change, close, reopen, consents, and the private note below
    private_note: str | None  # None for anyone but the holder
    consents: list[ConsentRow]
    referrals: list[Referral]
    link_referrals: bool  # the referral pages exist (helper B's endpoint)
    can_send: bool  # "Envoyer une référence": the rule holds and the page exists
    can_read_log: bool
    can_plan_conference: bool = False  # the case conference pages exist and the rule holds


def consent_status(consent: Consent, today: date) -> str:
    if consent.withdrawn_at is not None:
        return "withdrawn"
    if consent.expires_on < today:
        return "expired"
    if consent.given_on > today:
        return "upcoming"
    return "active"


def _consent_rows(actor: Person, participant: Participant, holder: bool) -> list[ConsentRow]:
    """The holder sees every consent; someone else only those naming their organization, and only it."""
    today = local_today()
    rows = []
    for consent in participant.consents:
        organizations = sorted(
            (row.organization for row in consent.organization_rows), key=lambda o: o.name.lower()
        )
        if not holder:
            organizations = [o for o in organizations if o.id == actor.organization_id]
            if not organizations:
                continue
        rows.append(
            ConsentRow(
                consent,
                consent_status(consent, today),
                organizations,
                holder and may(actor, "referrals.consents.withdraw", consent),
            )
        )
    return rows


def participant_page(actor: Person, participant_ref: str) -> ParticipantPage:
    participant = find_participant(participant_ref)
    require(actor, "referrals.participants.view", participant)
    holder = may(actor, "referrals.participants.edit", participant)
    referrals = [
        referral
        for referral in db.session.scalars(
            sa.select(Referral)
            .where(Referral.participant_id == participant.id)
            .order_by(Referral.sent_at.desc(), Referral.id.desc())
        )
        if may(actor, "referrals.summary", referral)
    ]
    page = ParticipantPage(
        participant=participant,
        can_edit=holder,
        private_note=participant.private_note if holder else None,
        consents=_consent_rows(actor, participant, holder),
        referrals=referrals,
        link_referrals="referrals.referral" in current_app.view_functions,
        can_send="referrals.new" in current_app.view_functions and may(actor, "referrals.send", participant),
        can_read_log=may(actor, "referrals.participants.access_log", participant),
        can_plan_conference="conferences.new" in current_app.view_functions
        and may(actor, "conferences.schedule", participant),
    )
    audit.record("participant.read", obj=participant, actor=actor)
    db.session.commit()
    return page


# Change, close, reopen -----------------------------------------------------------------------------


def editable_participant(actor: Person, participant_ref: str) -> Participant:
    """The participant, for the holder's forms (the edit form shows the private note: a read, audited)."""
    participant = find_participant(participant_ref)
    require(actor, "referrals.participants.edit", participant)
    audit.record("participant.read", obj=participant, actor=actor, detail="form")
    db.session.commit()
    return participant


def change_participant(actor: Person, participant_ref: str, data: ParticipantData) -> Participant:
    participant = find_participant(participant_ref)
    require(actor, "referrals.participants.edit", participant)
    _check(data, with_age=False)
    changed = []
    note = (data.private_note or "").strip()
    for name, value in (("gender", data.gender or None), ("private_note", note)):
        if getattr(participant, name) != value:
            setattr(participant, name, value)
            changed.append(name)
    if changed:
        audit.record("participant.change", obj=participant, actor=actor, detail=",".join(changed))
        db.session.commit()
    return participant


def close_participant(actor: Person, participant_ref: str, closed_on: date | None, reason: str) -> None:
    """Close the file: consents stay as they are, but no new referral can be sent."""
    participant = find_participant(participant_ref)
    require(actor, "referrals.participants.edit", participant)
    if not participant.is_active:
        raise ServiceError(_l("This file is already closed."), None)
    if not isinstance(closed_on, date):
        raise ServiceError(_l("Give the closing date."), "closed_on")
    if closed_on > local_today():
        raise ServiceError(_l("The date cannot be in the future."), "closed_on")
    if closed_on < participant.intake_date:
        raise ServiceError(_l("The file cannot be closed before its intake date."), "closed_on")
    if reason not in set(ClosingReason):
        raise ServiceError(_l("Choose a reason from the list."), "reason")
    participant.status = ParticipantStatus.CLOSED
    participant.closed_on, participant.closing_reason = closed_on, reason
    audit.record("participant.close", obj=participant, actor=actor, detail=reason)
    db.session.commit()


def reopen_participant(actor: Person, participant_ref: str) -> None:
    participant = find_participant(participant_ref)
    require(actor, "referrals.participants.edit", participant)
    if participant.is_active:
        return
    participant.status = ParticipantStatus.ACTIVE
    participant.closed_on, participant.closing_reason = None, None
    audit.record("participant.reopen", obj=participant, actor=actor)
    db.session.commit()


# The access log ------------------------------------------------------------------------------------

# The file's own entries, in the words of its own log ("the file"); every other action's label is the audit
# log's (coord.audit_labels), so that a new action needs its label once.
FILE_LABELS = {
    "participant.create": _l("Recorded the file"),
    "participant.read": _l("Read the file"),
    "participant.list.read": _l("Saw the file in a list"),
    "participant.change": _l("Changed the file"),
    "participant.close": _l("Closed the file"),
    "participant.reopen": _l("Reopened the file"),
    "participant.access_log.read": _l("Read the access log"),
    "participant.disclosures.read": _l("Read the file's disclosures"),
    "participant.anonymize": _l("The file was anonymized (retention)"),
}
PREFIX_LABELS = {  # the other parts' actions (referrals, case conferences), until they get their own label
    "referral.": _l("A referral"),
    "conference.": _l("A case conference"),
    "disclosure.": _l("A disclosure"),
}
DENIED_LABELS = {  # what a refused person tried (the rule in the entry's detail)
    "referrals.participants.view": _l("Access refused: reading the file"),
    "referrals.participants.edit": _l("Access refused: changing the file"),
    "referrals.participants.access_log": _l("Access refused: reading the access log"),
    "referrals.consents.withdraw": _l("Access refused: withdrawing a consent"),
    "referrals.send": _l("Access refused: sending a referral"),
    "referrals.summary": _l("Access refused: a referral's summary"),
    "referrals.view": _l("Access refused: a whole referral"),
    "referrals.answer": _l("Access refused: answering a referral"),
    "referrals.close": _l("Access refused: closing a referral"),
    "referrals.withdraw": _l("Access refused: withdrawing a referral"),
    "conferences.view": _l("Access refused: a case conference"),
    "conferences.content": _l("Access refused: a case conference's content"),
    "conferences.edit": _l("Access refused: changing a case conference"),
    "meetings.view": _l("Access refused: a case conference's agenda or minutes"),
}


def action_label(entry: audit.AuditEntry):
    """A readable label for an entry's action (its code when none is known)."""
    if entry.action == "permission.denied":
        return DENIED_LABELS.get(entry.detail, audit_labels.action_label("permission.denied"))
    if entry.action in FILE_LABELS:
        return FILE_LABELS[entry.action]
    if entry.action in audit_labels.ACTION_LABELS:
        return audit_labels.ACTION_LABELS[entry.action]
    for prefix, label in PREFIX_LABELS.items():
        if entry.action.startswith(prefix):
            return f"{label} ({entry.action})"
    return entry.action


@dataclass(frozen=True)
class LogLine:
    entry: audit.AuditEntry
    who: str
    organization: str
    what: object  # a translatable label, or the action's code when it has none
    denied: bool


@dataclass(frozen=True)
class AccessLogPage:
    participant: Participant
    lines: list[LogLine]
    pagination: object


def _who(entry: audit.AuditEntry, people: dict[int, Person]) -> str:
    if entry.actor_id is not None and entry.actor_id in people:
        return people[entry.actor_id].display_name
    if entry.actor_label == "system":
        return str(_l("The system"))
    return str(_l("Someone not signed in")) if entry.actor_label else "—"


def access_log(actor: Person, participant_ref: str, page: int = 1) -> AccessLogPage:
    """Who read or changed the participant's data, newest first (this reading included)."""
    participant = find_participant(participant_ref)
    require(actor, "referrals.participants.access_log", participant)
    audit.record("participant.access_log.read", obj=participant, actor=actor)
    db.session.commit()
    query = (
        sa.select(audit.AuditEntry)
        .where(audit.AuditEntry.subject == participant_subject(participant.id))
        .order_by(audit.AuditEntry.at.desc(), audit.AuditEntry.id.desc())
    )
    pagination = db.paginate(query, page=max(page, 1), per_page=LOG_PER_PAGE, error_out=False)
    entries = list(pagination.items)
    person_ids = {e.actor_id for e in entries if e.actor_id is not None}
    org_ids = {e.organization_id for e in entries if e.organization_id is not None}
    people = (
        {p.id: p for p in db.session.scalars(sa.select(Person).where(Person.id.in_(person_ids)))}
        if person_ids
        else {}
    )
    organizations = (
        {o.id: o for o in db.session.scalars(sa.select(Organization).where(Organization.id.in_(org_ids)))}
        if org_ids
        else {}
    )
    lines = [
        LogLine(
            entry=entry,
            who=_who(entry, people),
            organization=organizations[entry.organization_id].short_name
            if entry.organization_id in organizations
            else "",
            what=action_label(entry),
            denied=entry.outcome == audit.Outcome.DENIED,
        )
        for entry in entries
    ]
    return AccessLogPage(participant, lines, pagination)
