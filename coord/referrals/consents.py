"""A participant's consents: record one, withdraw one, and suspend what the consents no longer cover.

A consent is specific (purposes, partner organizations named), informed (form, who gave it) and limited
in time (at most 12 months, Law 25). A withdrawal takes effect at once: in the same transaction, every open
referral the remaining consents no longer cover is suspended and its receiving intake people are told
(without any detail) that a referral they handled is no longer available. The expiry sweep
(`coord.referrals.expiry`) calls the same `suspend_uncovered`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from flask import current_app, url_for
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import NotFound

from coord import audit
from coord.core.errors import ServiceError
from coord.core.localtime import local_today, utcnow
from coord.core.permissions import require
from coord.core.urls import absolute_url
from coord.directory.models import Organization, Person
from coord.extensions import db
from coord.notify.outbox import context_builder, queue_email
from coord.referrals.coverage import covers
from coord.referrals.intake import intake_people
from coord.referrals.models import (
    GUARDIAN_AGE,
    OPEN_STATES,
    Consent,
    ConsentForm,
    ConsentGiver,
    ConsentOrganization,
    Participant,
    Purpose,
    Referral,
    ReferralState,
)
from coord.referrals.participants import find_participant

VALIDITY_MONTHS = 12  # Law 25: a consent is limited in time
UNAVAILABLE_TEMPLATE = "referrals/referral_unavailable"


def default_expiry(given_on: date) -> date:
    """The last day a consent covers when nothing else is said: 12 months after it was given."""
    return given_on + relativedelta(months=VALIDITY_MONTHS)


def partner_organizations(participant: Participant) -> list[Organization]:
    """The organizations a consent may name: the active partners other than the participant's own."""
    return list(
        db.session.scalars(
            sa.select(Organization)
            .where(
                Organization.is_partner.is_(True),
                Organization.active.is_(True),
                Organization.id != participant.organization_id,
            )
            .order_by(Organization.name)
        )
    )


@dataclass(frozen=True)
class ConsentData:
    given_on: date | None
    form: str
    purposes: list[str]
    organization_ids: list[str]  # as the form sent them: checked here (a forged id is refused)
    given_by: str
    expires_on: date | None = None  # None: 12 months after given_on


def consent_form_page(actor: Person, participant_ref: str) -> tuple[Participant, list[Organization]]:
    """The participant and the organizations to offer, for the holder recording a consent (a read of the
    file: audited)."""
    participant = find_participant(participant_ref)
    require(actor, "referrals.participants.edit", participant)
    audit.record("participant.read", obj=participant, actor=actor, detail="consent form")
    db.session.commit()
    return participant, partner_organizations(participant)


def _organizations(participant: Participant, raw_ids: list[str]) -> list[Organization]:
    if not raw_ids:
        raise ServiceError(_l("Name at least one partner organization."), "organizations")
    offered = {o.id: o for o in partner_organizations(participant)}
    chosen: dict[int, Organization] = {}
    for raw in raw_ids:
        value = str(raw).strip()
        if not (value.isascii() and value.isdigit() and len(value) < 12) or int(value) not in offered:
            raise ServiceError(
                _l("Choose partner organizations from the list (an organization is unknown or inactive)."),
                "organizations",
            )
        chosen[int(value)] = offered[int(value)]
    return list(chosen.values())


def _check(participant: Participant, data: ConsentData) -> tuple[date, list[Organization]]:
    if not participant.is_active:
        raise ServiceError(_l("This file is closed: reopen it before recording a consent."), None)
    if not isinstance(data.given_on, date):
        raise ServiceError(_l("Give the date the consent was given."), "given_on")
    if data.given_on > local_today():
        raise ServiceError(_l("The date cannot be in the future."), "given_on")
    if data.form not in set(ConsentForm):
        raise ServiceError(_l("Choose verbal or written."), "form")
    if data.given_by not in set(ConsentGiver):
        raise ServiceError(_l("Choose who gave the consent."), "given_by")
    if participant.age_at_intake < GUARDIAN_AGE and data.given_by == ConsentGiver.PARTICIPANT:
        raise ServiceError(
            _l("Under 14 at intake: a parent or tutor gives the consent for the participant."), "given_by"
        )
    purposes = set(data.purposes or [])
    if not purposes:
        raise ServiceError(_l("Choose at least one purpose."), "purposes")
    if not purposes <= set(Purpose):
        raise ServiceError(_l("Choose purposes from the list."), "purposes")
    latest = default_expiry(data.given_on)
    expires_on = data.expires_on or latest
    if expires_on < data.given_on:
        raise ServiceError(_l("The consent cannot end before the day it was given."), "expires_on")
    if expires_on > latest:
        raise ServiceError(
            _l(
                "A consent lasts at most 12 months: the last day it may cover is %(day)s.",
                day=format_date(latest, "d MMMM yyyy"),
            ),
            "expires_on",
        )
    return expires_on, _organizations(participant, data.organization_ids)


def record_consent(actor: Person, participant_ref: str, data: ConsentData) -> Consent:
    participant = find_participant(participant_ref)
    require(actor, "referrals.participants.edit", participant)
    expires_on, organizations = _check(participant, data)
    consent = Consent(
        participant_id=participant.id,
        given_on=data.given_on,
        expires_on=expires_on,
        form=data.form,
        given_by=data.given_by,
        purposes=[p.value for p in Purpose if p in set(data.purposes)],
        recorded_by_id=actor.id,
        organization_rows=[ConsentOrganization(organization_id=o.id) for o in organizations],
    )
    db.session.add(consent)
    db.session.flush()
    audit.record(
        "consent.record",
        obj=consent,
        actor=actor,
        detail="purposes={};organizations={}".format(
            ",".join(consent.purposes), ",".join(str(o.id) for o in organizations)
        ),
    )
    db.session.commit()
    return consent


def find_consent(consent_ref: str) -> Consent:
    consent = db.session.scalar(sa.select(Consent).where(Consent.ref == consent_ref))
    if consent is None:
        raise NotFound()
    return consent


def withdrawable_consent(actor: Person, consent_ref: str) -> Consent:
    """The consent, for the confirmation page (the holder, while it is not withdrawn; a read: audited)."""
    consent = find_consent(consent_ref)
    require(actor, "referrals.consents.withdraw", consent)
    audit.record("consent.read", obj=consent, actor=actor, detail="withdrawal page")
    db.session.commit()
    return consent


def withdraw_consent(actor: Person, consent_ref: str) -> list[Referral]:
    """Withdraw at once; returns the referrals this suspended (in the same commit)."""
    consent = find_consent(consent_ref)
    require(actor, "referrals.consents.withdraw", consent)
    consent.withdrawn_at, consent.withdrawn_by_id = utcnow(), actor.id
    audit.record("consent.withdraw", obj=consent, actor=actor)
    suspended = suspend_uncovered(consent.participant, actor)
    db.session.commit()
    return suspended


CoverageWatcher = Callable[[Participant, object], None]
_COVERAGE_WATCHERS: list[CoverageWatcher] = []


def on_coverage_lost(func: CoverageWatcher) -> CoverageWatcher:
    """Call `func(participant, actor)` whenever a withdrawal or an expiry may have narrowed what the
    participant's consents cover (other modules end what they hold under it; they add to the caller's
    transaction and never commit). Usable as a decorator; registering twice keeps one."""
    if func not in _COVERAGE_WATCHERS:
        _COVERAGE_WATCHERS.append(func)
    return func


def suspend_uncovered(participant: Participant, actor, on: date | None = None) -> list[Referral]:
    """Suspend every open referral of the participant that the active consents no longer cover (asked
    after the caller's changes are flushed), audit each, and queue one e-mail per intake person of the
    organizations that lost one. Adds to the caller's transaction; the caller commits."""
    db.session.flush()
    suspended = []
    open_referrals = db.session.scalars(
        sa.select(Referral)
        .where(Referral.participant_id == participant.id, Referral.state.in_(OPEN_STATES))
        .order_by(Referral.id)
    ).all()
    for referral in open_referrals:
        if covers(participant, Purpose.REFERRAL, referral.to_organization_id, on):
            continue
        moved = db.session.execute(  # compare-and-set: a referral closed or withdrawn meanwhile stays so
            sa.update(Referral)
            .where(Referral.id == referral.id, Referral.state.in_([str(state) for state in OPEN_STATES]))
            .values(state=ReferralState.SUSPENDED, suspended_at=utcnow(), updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount != 1:
            continue
        db.session.refresh(referral)
        audit.record("referral.suspend", obj=referral, actor=actor, detail="consent")
        suspended.append(referral)
    first_lost: dict[int, int] = {}  # organization -> the first referral it lost here: one e-mail each
    for referral in suspended:
        first_lost.setdefault(referral.to_organization_id, referral.id)
    for organization_id, referral_id in first_lost.items():
        for person in intake_people(organization_id):
            key = f"referral-suspended:{referral_id}:{person.id}"
            queue_email(person, UNAVAILABLE_TEMPLATE, dedupe_key=key)
    for watcher in _COVERAGE_WATCHERS:
        watcher(participant, actor)
    return suspended


@context_builder(UNAVAILABLE_TEMPLATE)
def _unavailable_context(message) -> dict:
    """The link to the reader's referral list (the home page while that page does not exist)."""
    if "referrals.incoming" in current_app.view_functions:
        return {"url": url_for("referrals.incoming", _external=True)}
    return {"url": absolute_url("/")}
