"""Referrals between partner organizations: send, read (summary or whole), accept, decline, withdraw, close.

Every transition is a compare-and-set (`UPDATE ... WHERE state IN (...)`, its row count checked), so two
answers at the same moment never both win: the second gets a `ReferralConflict` (a clear message, 409).
Each service checks permission first, validates, changes, audits, writes the register of disclosures where
information passes to another organization, queues the other side's e-mail (a link, no detail), commits once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import NotFound

from coord import audit
from coord.core.errors import ServiceError
from coord.core.ids import MAX_ID
from coord.core.localtime import to_local, to_utc, utcnow
from coord.core.locks import REPEAT_WINDOW, lock_row
from coord.core.permissions import may, require
from coord.directory.models import Organization, Person
from coord.extensions import db
from coord.referrals import referral_emails
from coord.referrals.coverage import covering_consent, still_active
from coord.referrals.disclosures import record_disclosure
from coord.referrals.intake import intake_people, is_intake
from coord.referrals.models import (
    OPEN_STATES,
    Consent,
    DeclineReason,
    DisclosureWhat,
    Need,
    Outcome,
    Participant,
    Purpose,
    Referral,
    ReferralState,
    Service,
    Urgency,
)

MAX_NOTE = 5000
MAX_OTHER = 200
SAME_DAY_END = time(23, 59)
SAME_DAY_MINIMUM = timedelta(hours=4)
ROUTINE_DELAY = timedelta(days=10)
URGENT_DELAY = timedelta(hours=72)

NO_CONSENT = _l("No active consent covers the referral to this organization.")
CONFLICTS = {
    ReferralState.ACCEPTED: _l("This referral was already accepted."),
    ReferralState.DECLINED: _l("This referral was already declined."),
    ReferralState.WITHDRAWN: _l("This referral was withdrawn by the sender."),
    ReferralState.CLOSED: _l("This referral is already closed."),
    ReferralState.SUSPENDED: _l("This referral is suspended: the consent no longer covers it."),
    ReferralState.SENT: _l("This referral still awaits an answer."),
}


class ReferralConflict(ServiceError):
    """The referral is no longer in the state the operation needs (someone else acted first): a 409."""


@dataclass(frozen=True)
class ReferralData:
    """What the sending form gives (the service checks every value)."""

    organization_id: int | None
    services: list[str] = field(default_factory=list)
    services_other: str = ""
    needs: list[str] = field(default_factory=list)
    urgency: str = ""
    note: str = ""


def due_at(urgency: str, sent_at: datetime) -> datetime:
    """When an answer is expected: same day → the end of that Montréal day but at least 4 hours after
    sending; within 72 hours → 72 hours after; routine → 10 days after (aware UTC)."""
    if urgency == Urgency.SAME_DAY:
        day = to_local(sent_at).date()
        end_of_day = to_utc(datetime.combine(day, SAME_DAY_END))
        return max(end_of_day, sent_at + SAME_DAY_MINIMUM)
    if urgency == Urgency.WITHIN_72_HOURS:
        return sent_at + URGENT_DELAY
    return sent_at + ROUTINE_DELAY


def is_overdue(referral: Referral, now: datetime | None = None) -> bool:
    return referral.state == ReferralState.SENT and referral.due_at < (now or utcnow())


# Finding rows ------------------------------------------------------------------------------------------


def get_participant(participant_ref: str) -> Participant:
    participant = db.session.scalar(sa.select(Participant).where(Participant.ref == participant_ref))
    if participant is None or participant.anonymized_at is not None:
        raise NotFound()
    return participant


def get_referral(referral_ref: str) -> Referral:
    referral = db.session.scalar(sa.select(Referral).where(Referral.ref == referral_ref))
    if referral is None:
        raise NotFound()
    return referral


def partner_organizations(exclude_id: int | None = None) -> list[Organization]:
    """Active partner organizations (but `exclude_id`), by name."""
    query = sa.select(Organization).where(Organization.active, Organization.is_partner)
    if exclude_id is not None:
        query = query.where(Organization.id != exclude_id)
    return list(db.session.scalars(query.order_by(Organization.name)))


# Sending -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SendPage:
    participant: Participant
    organizations: list[Organization]
    covered: set[int]  # the organizations an active consent covers for a referral


def send_page(actor: Person, participant_ref: str) -> SendPage:
    """The sending form: the participant (code), the organizations it may go to, and which are covered."""
    participant = get_participant(participant_ref)
    _refuse_closed(actor, participant)
    require(actor, "referrals.send", participant)
    organizations = partner_organizations(exclude_id=participant.organization_id)
    covered = {
        org.id
        for org in organizations
        if covering_consent(participant.id, Purpose.REFERRAL, org.id) is not None
    }
    audit.record("referral.send_form.read", actor=actor, obj=participant)
    db.session.commit()
    return SendPage(participant, organizations, covered)


def _refuse_closed(actor: Person, participant: Participant) -> None:
    if not participant.is_active and may(actor, "referrals.participants.edit", participant):
        raise ServiceError(_l("This participant's file is closed: reopen it before referring."))


def _receiving_organization(participant: Participant, organization_id: int | None) -> Organization:
    organization = (
        db.session.get(Organization, organization_id)
        if isinstance(organization_id, int) and 0 < organization_id <= MAX_ID
        else None
    )
    if organization is None or not organization.active or not organization.is_partner:
        raise ServiceError(_l("Choose an active partner organization."), "organization")
    if organization.id == participant.organization_id:
        raise ServiceError(_l("The participant is already followed by this organization."), "organization")
    return organization


def _checked_choices(data: ReferralData) -> tuple[list[str], str, list[str]]:
    services = list(dict.fromkeys(data.services))
    if not services:
        raise ServiceError(_l("Choose at least one service."), "services")
    if any(value not in Service.__members__.values() for value in services):
        raise ServiceError(_l("Choose services from the list."), "services")
    other = (data.services_other or "").strip()
    if Service.OTHER in services and not other:
        raise ServiceError(_l("Say which other service."), "services_other")
    if len(other) > MAX_OTHER:
        raise ServiceError(_l("At most %(count)d characters.", count=MAX_OTHER), "services_other")
    needs = list(dict.fromkeys(data.needs))
    if any(value not in Need.__members__.values() for value in needs):
        raise ServiceError(_l("Choose needs from the list."), "needs")
    if data.urgency not in Urgency.__members__.values():
        raise ServiceError(_l("Choose the urgency."), "urgency")
    if len(data.note or "") > MAX_NOTE:
        raise ServiceError(_l("At most %(count)d characters.", count=MAX_NOTE), "note")
    return services, other if Service.OTHER in services else "", needs


def send_referral(actor: Person, participant_ref: str, data: ReferralData) -> Referral:
    """Refer the participant to another partner organization, under an active consent that covers it."""
    participant = get_participant(participant_ref)
    _refuse_closed(actor, participant)
    require(actor, "referrals.send", participant)
    organization = _receiving_organization(participant, data.organization_id)
    consent = covering_consent(participant.id, Purpose.REFERRAL, organization.id)
    if consent is None or not still_active(consent):  # locked: a withdrawal at the same moment waits
        raise ServiceError(NO_CONSENT, "organization")
    recipients = intake_people(organization.id)
    if not recipients:
        raise ServiceError(
            _l("This organization has no intake person yet: ask the coordinator to name one."),
            "organization",
        )
    services, other, needs = _checked_choices(data)
    lock_row(Participant, participant.id)  # on SQLite too: one send of this participant's at a time
    waiting = _same_waiting(actor, participant, organization, data, (services, other, needs))
    if waiting is not None:  # a double click (sends serialize on the consent's lock): the first one stands
        return waiting
    sent_at = utcnow()
    referral = Referral(
        participant_id=participant.id,
        from_organization_id=participant.organization_id,
        to_organization_id=organization.id,
        sender_id=actor.id,
        consent_id=consent.id,
        services=services,
        services_other=other,
        needs=needs,
        urgency=data.urgency,
        note=(data.note or "").strip(),
        state=ReferralState.SENT,
        sent_at=sent_at,
        due_at=due_at(data.urgency, sent_at),
    )
    db.session.add(referral)
    db.session.flush()
    record_disclosure(
        participant,
        what=DisclosureWhat.REFERRAL_SUMMARY,
        purpose=Purpose.REFERRAL,
        to_organization_id=organization.id,
        consent=consent,
        actor=actor,
        obj=referral,
    )
    audit.record("referral.send", actor=actor, obj=referral, detail=f"to organization {organization.id}")
    referral_emails.queue_waiting(referral, recipients)
    db.session.commit()
    return referral


def _same_waiting(actor, participant, organization, data: ReferralData, choices: tuple) -> Referral | None:
    """The same referral, by the same sender, sent within REPEAT_WINDOW and still waiting for its answer
    (the second of two clicks)."""
    rows = db.session.scalars(
        sa.select(Referral).where(
            Referral.participant_id == participant.id,
            Referral.to_organization_id == organization.id,
            Referral.sender_id == actor.id,
            Referral.state == ReferralState.SENT,
            Referral.sent_at >= utcnow() - REPEAT_WINDOW,
        )
    )
    wanted = (*choices, data.urgency, (data.note or "").strip())
    for row in rows:
        if (row.services, row.services_other, row.needs, row.urgency, row.note) == wanted:
            return row
    return None


# Reading -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferralPage:
    referral: Referral
    full: bool  # the whole referral (note, needs, answers); else the summary only
    can_answer: bool
    can_withdraw: bool
    can_close: bool


def referral_page(actor: Person, referral_ref: str) -> ReferralPage:
    """The whole referral for those who may read it, the summary for the intake while it waits; audited."""
    referral = get_referral(referral_ref)
    full = may(actor, "referrals.view", referral)
    if not full:
        require(actor, "referrals.summary", referral)
    audit.record("referral.read" if full else "referral.summary.read", actor=actor, obj=referral)
    db.session.commit()
    return ReferralPage(
        referral,
        full,
        can_answer=may(actor, "referrals.answer", referral),
        can_withdraw=may(actor, "referrals.withdraw", referral),
        can_close=may(actor, "referrals.close", referral),
    )


# Transitions -------------------------------------------------------------------------------------------


def _party(actor: Person, referral: Referral) -> bool:
    """Someone the referral concerns (its sending side or the receiving intake), told why it is too late."""
    return (
        referral.sender_id == actor.id
        or referral.participant.intervenant_id == actor.id
        or is_intake(actor, referral.to_organization_id)
    )


def _conflict(state: str) -> ReferralConflict:
    return ReferralConflict(CONFLICTS.get(state, CONFLICTS[ReferralState.SENT]))


def _transition(actor: Person, referral_ref: str, action: str, from_states: tuple[str, ...]) -> Referral:
    """The referral, once the actor may do `action` to it; a party acting too late gets the conflict."""
    referral = get_referral(referral_ref)
    if referral.state not in from_states and _party(actor, referral):
        raise _conflict(referral.state)
    require(actor, action, referral)
    return referral


def _compare_and_set(referral: Referral, from_states: tuple[str, ...], **values) -> None:
    """Move the row from one of `from_states`, or raise the conflict when someone else moved it first."""
    result = db.session.execute(
        sa.update(Referral)
        .where(Referral.id == referral.id, Referral.state.in_([str(state) for state in from_states]))
        .values(updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        state = db.session.scalar(sa.select(Referral.state).where(Referral.id == referral.id))
        raise _conflict(state)
    db.session.refresh(referral)


def _basis(referral: Referral, purpose: str = Purpose.REFERRAL) -> Consent | None:
    found = covering_consent(referral.participant_id, purpose, referral.to_organization_id)
    if found is None and referral.consent_id is not None:
        found = db.session.get(Consent, referral.consent_id)
    return found


def accept(actor: Person, referral_ref: str) -> Referral:
    """The receiving intake accepts: the whole referral passes to its organization (a disclosure line)."""
    referral = _transition(actor, referral_ref, "referrals.answer", (ReferralState.SENT,))
    _compare_and_set(
        referral,
        (ReferralState.SENT,),
        state=ReferralState.ACCEPTED,
        answered_at=utcnow(),
        answered_by_id=actor.id,
    )
    record_disclosure(
        referral.participant,
        what=DisclosureWhat.REFERRAL,
        purpose=Purpose.REFERRAL,
        to_organization_id=referral.to_organization_id,
        consent=_basis(referral),
        actor=actor,
        obj=referral,
    )
    audit.record("referral.accept", actor=actor, obj=referral)
    referral_emails.queue_news(referral, _sending_side(referral))
    db.session.commit()
    return referral


def decline(actor: Person, referral_ref: str, reason: str, note: str = "") -> Referral:
    """The receiving intake declines, with a coded reason (and a note, required for "other")."""
    referral = _transition(actor, referral_ref, "referrals.answer", (ReferralState.SENT,))
    note = (note or "").strip()
    if reason not in DeclineReason.__members__.values():
        raise ServiceError(_l("Choose a reason."), "reason")
    if reason == DeclineReason.OTHER and not note:
        raise ServiceError(_l("Say why in the note."), "note")
    if len(note) > MAX_NOTE:
        raise ServiceError(_l("At most %(count)d characters.", count=MAX_NOTE), "note")
    _compare_and_set(
        referral,
        (ReferralState.SENT,),
        state=ReferralState.DECLINED,
        answered_at=utcnow(),
        answered_by_id=actor.id,
        decline_reason=reason,
        decline_note=note,
    )
    audit.record("referral.decline", actor=actor, obj=referral, detail=reason)
    referral_emails.queue_news(referral, _sending_side(referral))
    db.session.commit()
    return referral


def withdraw_confirmation(actor: Person, referral_ref: str) -> Referral:
    """The referral, for the page that asks to confirm its withdrawal (no content shown)."""
    return _transition(actor, referral_ref, "referrals.withdraw", OPEN_STATES)


def withdraw(actor: Person, referral_ref: str) -> Referral:
    """The sending side withdraws a referral that waits or was accepted; the receiving side loses access."""
    referral = _transition(actor, referral_ref, "referrals.withdraw", OPEN_STATES)
    _compare_and_set(referral, OPEN_STATES, state=ReferralState.WITHDRAWN, withdrawn_at=utcnow())
    audit.record("referral.withdraw", actor=actor, obj=referral)
    referral_emails.queue_news(referral, intake_people(referral.to_organization_id))
    db.session.commit()
    return referral


def close(actor: Person, referral_ref: str, outcome: str, feedback: str = "") -> Referral:
    """The receiving intake closes an accepted referral with an outcome and feedback to the sender."""
    referral = _transition(actor, referral_ref, "referrals.close", (ReferralState.ACCEPTED,))
    feedback = (feedback or "").strip()
    if outcome not in Outcome.__members__.values():
        raise ServiceError(_l("Choose an outcome."), "outcome")
    if len(feedback) > MAX_NOTE:
        raise ServiceError(_l("At most %(count)d characters.", count=MAX_NOTE), "feedback")
    _compare_and_set(
        referral,
        (ReferralState.ACCEPTED,),
        state=ReferralState.CLOSED,
        closed_at=utcnow(),
        closed_by_id=actor.id,
        outcome=outcome,
        feedback=feedback,
    )
    record_disclosure(
        referral.participant,
        what=DisclosureWhat.FOLLOW_UP,
        purpose=Purpose.FOLLOW_UP,
        from_organization_id=referral.to_organization_id,
        to_organization_id=referral.from_organization_id,
        # Back to the participant's own organization: it holds the file, no consent is the basis (the
        # register says so); to another sender organization, the consent that covers follow-up sharing.
        consent=None
        if referral.from_organization_id == referral.participant.organization_id
        else _basis(referral, Purpose.FOLLOW_UP),
        actor=actor,
        obj=referral,
    )
    audit.record("referral.close", actor=actor, obj=referral, detail=outcome)
    referral_emails.queue_news(referral, _sending_side(referral))
    db.session.commit()
    return referral


def _sending_side(referral: Referral) -> list[Person]:
    """The sender (and the intervenant of reference, when another person), if still active."""
    people = [referral.sender, referral.participant.intervenant]
    found: dict[int, Person] = {}
    for person in people:
        if person is not None and person.active:
            found.setdefault(person.id, person)
    return list(found.values())
