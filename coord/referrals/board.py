"""The referral lists: incoming (intake people), sent (the sending side), and the coordinator's board.

Lists show summary fields only (code, age band, services, urgency, dates, organizations, state), each row
checked with the rules, and each read is audited. The board shows no content (no note, needs, answers or
feedback) and links to a referral only where the reader may read it whole.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from coord import audit
from coord.core.errors import ServiceError
from coord.core.ids import MAX_ID
from coord.core.localtime import utcnow
from coord.core.permissions import may, require
from coord.directory.models import Organization, Person
from coord.extensions import db
from coord.referrals.intake import intake_organizations
from coord.referrals.models import Participant, Referral, ReferralState
from coord.referrals.referrals import is_overdue, partner_organizations

MAX_LISTED = 500


def _with_organizations():
    return (orm.joinedload(Referral.from_organization), orm.joinedload(Referral.to_organization))


def _may_read(actor: Person, referral: Referral, intake_of: set[int]) -> bool:
    """Asks the rule only for the rows the actor could be party to (the board's other rows cost no query)."""
    party = (
        referral.sender_id == actor.id
        or referral.participant.intervenant_id == actor.id
        or (referral.state == ReferralState.ACCEPTED and referral.to_organization_id in intake_of)
    )
    return party and may(actor, "referrals.view", referral)


def _reload(rows: list[Referral]) -> None:
    """After the commit, the shown rows again in one query (else each would reload itself on the page)."""
    if rows:
        db.session.scalars(
            sa.select(Referral)
            .where(Referral.id.in_([r.id for r in rows]))
            .options(*_with_organizations(), orm.joinedload(Referral.participant))
            .execution_options(populate_existing=True)
        ).all()


def _audit_listed(actor: Person, action: str, rows: list[Referral]) -> None:
    """One entry per referral shown (the participant's access log names each read)."""
    audit.record_each(action, actor=actor, objs=rows)
    db.session.commit()
    _reload(rows)


@dataclass(frozen=True)
class IncomingPage:
    waiting: list[Referral]  # overdue first, then by due time
    held: list[Referral]  # accepted ones the reader's organization holds
    overdue: set[int]


def incoming(actor: Person) -> IncomingPage:
    """The referrals waiting for the reader's organization's answer, then those it accepted."""
    require(actor, "referrals.menu")
    organizations = intake_organizations(actor)
    rows: list[Referral] = []
    if organizations:
        rows = list(
            db.session.scalars(
                sa.select(Referral)
                .where(
                    Referral.to_organization_id.in_(organizations),
                    Referral.state.in_([ReferralState.SENT, ReferralState.ACCEPTED]),
                )
                .options(*_with_organizations())
                .order_by(Referral.due_at, Referral.id)
                .limit(MAX_LISTED)
            )
        )
    rows = [referral for referral in rows if may(actor, "referrals.summary", referral)]
    now = utcnow()
    overdue = {referral.id for referral in rows if is_overdue(referral, now)}
    waiting = [r for r in rows if r.state == ReferralState.SENT]
    waiting.sort(key=lambda r: (r.id not in overdue, r.due_at, r.id))
    held = [r for r in rows if r.state == ReferralState.ACCEPTED]
    _audit_listed(actor, "referral.incoming.read", waiting + held)
    return IncomingPage(waiting, held, overdue)


@dataclass(frozen=True)
class SentPage:
    rows: list[Referral]
    overdue: set[int]


def sent(actor: Person) -> SentPage:
    """The referrals the reader sent, or sent for the participants whose file they hold; newest first."""
    require(actor, "referrals.menu")
    rows = list(
        db.session.scalars(
            sa.select(Referral)
            .join(Participant, Participant.id == Referral.participant_id)
            .where(sa.or_(Referral.sender_id == actor.id, Participant.intervenant_id == actor.id))
            .options(*_with_organizations())
            .order_by(Referral.sent_at.desc(), Referral.id.desc())
            .limit(MAX_LISTED)
        )
    )
    rows = [referral for referral in rows if may(actor, "referrals.summary", referral)]
    now = utcnow()
    _audit_listed(actor, "referral.sent.read", rows)
    return SentPage(rows, {referral.id for referral in rows if is_overdue(referral, now)})


@dataclass(frozen=True)
class BoardPage:
    rows: list[Referral]
    overdue: list[Referral]  # every overdue referral, whatever the filters
    linked: set[int]  # the referrals the reader may open whole
    organizations: list[Organization]
    state: str
    organization_id: int | None


def _organization_filter(value: str | None) -> int | None:
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and len(value) < 12 and 0 < int(value) <= MAX_ID):
        raise ServiceError(_l("Choose an organization from the list."), "organization")
    return int(value)


def board(actor: Person, state: str | None = None, organization: str | None = None) -> BoardPage:
    """The coordinator's board: codes, states, dates, organizations, the overdue list; filters by state
    and by organization (sending or receiving)."""
    require(actor, "referrals.board")
    state = state or ""
    if state and state not in ReferralState.__members__.values():
        raise ServiceError(_l("Choose a state from the list."), "state")
    organization_id = _organization_filter(organization)
    query = sa.select(Referral).options(*_with_organizations())
    if state:
        query = query.where(Referral.state == state)
    if organization_id is not None:
        query = query.where(
            sa.or_(
                Referral.from_organization_id == organization_id,
                Referral.to_organization_id == organization_id,
            )
        )
    query = query.order_by(Referral.sent_at.desc(), Referral.id.desc()).limit(MAX_LISTED)
    rows = list(db.session.scalars(query))
    overdue = list(
        db.session.scalars(
            sa.select(Referral)
            .where(Referral.state == ReferralState.SENT, Referral.due_at < utcnow())
            .options(*_with_organizations())
            .order_by(Referral.due_at, Referral.id)
            .limit(MAX_LISTED)
        )
    )
    intake_of = intake_organizations(actor)
    linked = {r.id for r in {*rows, *overdue} if _may_read(actor, r, intake_of)}
    # One entry per referral shown (its code is a read of the participant's data: their access log says so).
    shown = list({r.id: r for r in [*rows, *overdue]}.values())
    audit.record_each("referral.board.read", actor=actor, objs=shown)
    db.session.commit()
    _reload(shown)
    return BoardPage(rows, overdue, linked, partner_organizations(), state, organization_id)
