"""Who reaches a participant: involvement under consent, never a role or an organization alone.

- The intervenant of reference holds the file (the private note, consents, referrals they send).
- A receiving organization's intake people see a referral's summary while it waits, the whole referral
  once accepted, and the participant's page while they hold it; each read asks the consent again.
- The coordinator (the role, not the administrator) keeps referrals moving on the board, which shows codes,
  states, dates and organizations, and sees who accessed a file; their content only where involved.
- The researcher and the administrator never see a participant.
"""

from __future__ import annotations

import functools

import sqlalchemy as sa

from coord.core.permissions import rule
from coord.directory.models import Person, Role
from coord.extensions import db
from coord.referrals.coverage import covers
from coord.referrals.intake import intake_organizations, is_intake
from coord.referrals.models import (
    ConfidentialityIncident,
    Consent,
    Participant,
    Purpose,
    Referral,
    ReferralState,
)


def never_sees_participants(actor: Person) -> bool:
    """The researcher and the administrator, whatever other roles they also hold."""
    return actor.has_role(Role.RESEARCHER, Role.ADMIN)


def _rule(action: str, **options):
    """`@rule`, with the researcher and the administrator refused first, in every rule of this module."""

    def register(func):
        @functools.wraps(func)
        def check(actor: Person, obj) -> bool:
            return not never_sees_participants(actor) and func(actor, obj)

        return rule(action, **options)(check)

    return register


def is_coordinator(actor: Person) -> bool:
    return actor.has_role(Role.COORDINATOR)


def _holds_file(actor: Person, participant: Participant) -> bool:
    """The intervenant·e of reference, while still one of the participant's organization's people."""
    return (
        participant.anonymized_at is None
        and participant.intervenant_id == actor.id
        and actor.organization_id == participant.organization_id
    )


def _receives(actor: Person, referral: Referral, *states: str) -> bool:
    """An intake person of the receiving organization, the referral in one of `states`, consent covering."""
    return (
        referral.state in states
        and referral.participant.anonymized_at is None
        and is_intake(actor, referral.to_organization_id)
        and covers(referral.participant, Purpose.REFERRAL, referral.to_organization_id)
    )


def _sends(actor: Person, referral: Referral) -> bool:
    """The referral's sender, or the participant's intervenant of reference."""
    if referral.participant.anonymized_at is not None:
        return False
    sender = referral.sender_id == actor.id and actor.organization_id == referral.from_organization_id
    return sender or _holds_file(actor, referral.participant)


def _holds_accepted_referral(actor: Person, participant: Participant) -> bool:
    organizations = intake_organizations(actor)
    if not organizations:
        return False
    referrals = db.session.scalars(
        sa.select(Referral).where(
            Referral.participant_id == participant.id,
            Referral.state == ReferralState.ACCEPTED,
            Referral.to_organization_id.in_(organizations),
        )
    )
    return any(_receives(actor, referral, ReferralState.ACCEPTED) for referral in referrals)


@_rule("referrals.participants.create")
def _create_participant(actor: Person, obj: None) -> bool:
    """Intervenant·es (and the coordinator) of a partner organization record participants."""
    return actor.organization.is_partner and actor.has_role(Role.INTERVENANT, Role.COORDINATOR)


@_rule("referrals.participants.list")
def _list_participants(actor: Person, obj: None) -> bool:
    """ "Mes participant·es": the files one holds, and the ones referred to one's intake."""
    return actor.organization.is_partner and (
        actor.has_role(Role.INTERVENANT, Role.COORDINATOR) or bool(intake_organizations(actor))
    )


@_rule("referrals.participants.view", guards=Participant)
def _view_participant(actor: Person, participant: Participant) -> bool:
    """The intervenant of reference, and the intake people holding an accepted referral under consent."""
    return _holds_file(actor, participant) or (
        participant.anonymized_at is None and _holds_accepted_referral(actor, participant)
    )


@_rule("referrals.participants.edit", guards=Participant)
def _edit_participant(actor: Person, participant: Participant) -> bool:
    """Change, close, reopen, read the private note, record and withdraw consents: the file's holder."""
    return _holds_file(actor, participant)


@_rule("referrals.participants.access_log", guards=Participant)
def _access_log(actor: Person, participant: Participant) -> bool:
    """Who accessed what and when: the intervenant of reference and the coordinator."""
    return _holds_file(actor, participant) or (participant.anonymized_at is None and is_coordinator(actor))


@_rule("referrals.consents.withdraw", guards=Consent)
def _withdraw_consent(actor: Person, consent: Consent) -> bool:
    return _holds_file(actor, consent.participant) and consent.withdrawn_at is None


@_rule("referrals.send", guards=Participant)
def _send_referral(actor: Person, participant: Participant) -> bool:
    """The intervenant of reference refers an active participant (the consent is checked by the service,
    which says what is missing)."""
    return _holds_file(actor, participant) and participant.is_active


@_rule("referrals.summary", guards=Referral)
def _referral_summary(actor: Person, referral: Referral) -> bool:
    """Code, age band, services, urgency: the sender's side, and the receiving intake while it waits."""
    return _sends(actor, referral) or _receives(actor, referral, ReferralState.SENT, ReferralState.ACCEPTED)


@_rule("referrals.view", guards=Referral)
def _view_referral(actor: Person, referral: Referral) -> bool:
    """The whole referral: the sender's side, and the receiving intake once accepted, while covered."""
    return _sends(actor, referral) or _receives(actor, referral, ReferralState.ACCEPTED)


@_rule("referrals.answer", guards=Referral)
def _answer_referral(actor: Person, referral: Referral) -> bool:
    """Accept or decline: the receiving organization's intake people, while it waits."""
    return _receives(actor, referral, ReferralState.SENT)


@_rule("referrals.close", guards=Referral)
def _close_referral(actor: Person, referral: Referral) -> bool:
    return _receives(actor, referral, ReferralState.ACCEPTED)


@_rule("referrals.withdraw", guards=Referral)
def _withdraw_referral(actor: Person, referral: Referral) -> bool:
    return _sends(actor, referral) and referral.is_open


@_rule("referrals.board")
def _board(actor: Person, obj: None) -> bool:
    """The program's referral board: codes, states, dates, organizations, overdue; no content."""
    return is_coordinator(actor)


@_rule("referrals.intake.manage")
def _manage_intake(actor: Person, obj: None) -> bool:
    return is_coordinator(actor)


@_rule("referrals.registers.read")
def _read_registers(actor: Person, obj: None) -> bool:
    """The registers of disclosures and of confidentiality incidents, and the purge log."""
    return is_coordinator(actor)


@_rule("referrals.incidents.manage", guards=ConfidentialityIncident, optional=True)
def _manage_incidents(actor: Person, incident: ConfidentialityIncident | None) -> bool:
    return is_coordinator(actor)


@_rule("referrals.menu")
def _referrals_menu(actor: Person, obj: None) -> bool:
    """The "Références" pages (incoming, sent): intake people, and the intervenant·es who send referrals."""
    return actor.organization.is_partner and (
        actor.has_role(Role.INTERVENANT, Role.COORDINATOR) or bool(intake_organizations(actor))
    )
