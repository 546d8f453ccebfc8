"""What the registration pages show: the session pages' register box, "My trainings", the public form, the
claim, verify and follow pages, and the confirmation step before cancelling."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext
from werkzeug.exceptions import NotFound

from coord.core.clock import rendering_language
from coord.core.confirm import Step
from coord.core.errors import ServiceError
from coord.core.localtime import utcnow
from coord.core.permissions import may, require
from coord.directory.models import Person
from coord.extensions import db
from coord.training import attestations, cancellation, offers, registration, waitlist
from coord.training.dates import spoken
from coord.training.lookup import find_session
from coord.training.models import (
    ACTIVE,
    Audience,
    Registration,
    RegistrationStatus,
    SessionStatus,
    Trainer,
    TrainingSession,
)

RECENT = timedelta(days=60)  # "Sessions I give" keeps a session this long after it ended (attendance)


@dataclass
class RegisterBox:
    session: TrainingSession
    seats_left: int
    waiting: int
    can_register: bool = False  # a signed-in reader allowed to register themself
    joins_waiting: bool = False  # registering now puts them on the waiting list
    mine: Registration | None = None
    position: int | None = None
    can_cancel: bool = False
    public_form: bool = False  # anonymous reader, open session: the public form's link
    closed_message: str = ""


def _taking_registrations(session: TrainingSession) -> str:
    """ "" when the session takes registrations now, else why not."""
    try:
        waitlist.check_open(session, utcnow())
    except ServiceError as error:
        return str(error.message)
    return ""


def _own(actor, session_id: int) -> Registration | None:
    return db.session.scalar(
        sa.select(Registration).where(
            Registration.session_id == session_id,
            Registration.person_id == actor.id,
            Registration.status.in_([str(s) for s in ACTIVE]),
        )
    )


def register_box(actor, session) -> RegisterBox | None:
    """The "register" box of a session page for this reader (signed in or not); None: nothing to show."""
    if session.status == SessionStatus.CANCELLED or utcnow() >= session.starts_at:
        return None  # cancelled, or begun: nobody registers or cancels any more (the facts say "Ended")
    signed_in = getattr(actor, "is_authenticated", False)
    held = waitlist.holding_count(session.id)
    waiting = waitlist.waiting_count(session.id)
    box = RegisterBox(session=session, seats_left=max(0, session.capacity - held), waiting=waiting)
    box.closed_message = _taking_registrations(session)
    box.joins_waiting = box.seats_left == 0 or waitlist.eligible_waiting(session)
    if not signed_in:
        box.public_form = session.audience == Audience.OPEN and not box.closed_message
        return box if box.public_form else None
    box.mine = _own(actor, session.id)
    if box.mine is not None:
        box.position = waitlist.position(box.mine)
        box.can_cancel = may(actor, "training.cancel_registration", box.mine)
        return box
    box.can_register = not box.closed_message and may(actor, "training.register_self", session)
    return box if box.can_register or box.closed_message else None


def session_id(session_ref: str) -> int:
    return find_session(session_ref).id


@dataclass
class MineRow:
    registration: Registration
    session: TrainingSession
    position: int | None = None
    has_attestation: bool = False  # marked present: the PDF is theirs to download


@dataclass
class MinePage:
    upcoming: list[MineRow] = field(default_factory=list)
    waiting: list[MineRow] = field(default_factory=list)
    offers: list[MineRow] = field(default_factory=list)
    past: list[MineRow] = field(default_factory=list)
    given: list[TrainingSession] = field(default_factory=list)  # the sessions the reader gives
    can_see_plan: bool = False  # the annual plan's link, where there is nothing to come


def mine(actor) -> MinePage:
    """The reader's own registrations: seats to come, waiting (with position), offers, past (attendance)."""
    require(actor, "training.mine")
    rows = db.session.scalars(
        sa.select(Registration)
        .join(TrainingSession, TrainingSession.id == Registration.session_id)
        .where(
            Registration.person_id == actor.id,
            Registration.status.in_(
                [RegistrationStatus.REGISTERED, RegistrationStatus.WAITING, RegistrationStatus.OFFERED]
            ),
        )
        .options(sa.orm.joinedload(Registration.session).selectinload(TrainingSession.parts))
        .order_by(TrainingSession.starts_at)
    ).all()
    page = MinePage(can_see_plan=may(actor, "training.plan"))
    now = utcnow()
    places = waitlist.positions(rows)
    for row in rows:
        session = row.session
        item = MineRow(row, session)
        if session.ends_at <= now:
            if row.status == RegistrationStatus.REGISTERED:
                item.has_attestation = attestations.counts(row)
                page.past.append(item)
        elif row.status == RegistrationStatus.OFFERED:
            page.offers.append(item)
        elif row.status == RegistrationStatus.WAITING:
            item.position = places.get(row.id)
            page.waiting.append(item)
        else:
            page.upcoming.append(item)
    page.past.reverse()
    page.given = sessions_given(actor, now)
    return page


def sessions_given(actor, now: datetime) -> list[TrainingSession]:
    """The reader's sessions as a trainer, upcoming and recent (not cancelled), in two queries."""
    return list(
        db.session.scalars(
            sa.select(TrainingSession)
            .where(
                TrainingSession.id.in_(sa.select(Trainer.session_id).where(Trainer.person_id == actor.id)),
                TrainingSession.status != SessionStatus.CANCELLED,
                TrainingSession.ends_at > now - RECENT,
            )
            .options(sa.orm.joinedload(TrainingSession.module), sa.orm.selectinload(TrainingSession.parts))
            .order_by(TrainingSession.starts_at, TrainingSession.id)
        )
    )


@dataclass
class SomeonePage:
    session: TrainingSession
    people: list[tuple[int, str]]


def register_someone_page(actor, session_ref: str) -> SomeonePage:
    require(actor, "training.manage")
    session = find_session(session_ref)
    people = db.session.execute(
        sa.select(Person.id, Person.display_name).where(Person.active.is_(True)).order_by(Person.display_name)
    ).all()
    return SomeonePage(session, [(pid, name) for pid, name in people])


def is_full(session: TrainingSession) -> bool:
    """Registering now would put someone on the waiting list."""
    return waitlist.holding_count(session.id) >= session.capacity or waitlist.eligible_waiting(session)


def public_session(session_ref: str) -> TrainingSession:
    """An open session of the public form (404 for partners-only or cancelled ones)."""
    session = find_session(session_ref)
    if session.audience != Audience.OPEN or session.status == SessionStatus.CANCELLED:
        raise NotFound()
    return session


@dataclass
class ClaimPage:
    registration: Registration
    session: TrainingSession
    refusal: str = ""


def claim_page(claim_token: str) -> ClaimPage:
    found = offers.offer_of(claim_token)
    page = ClaimPage(found, found.session)
    try:
        offers.check_open(found, utcnow())
    except ServiceError as error:
        page.refusal = str(error.message)
    return page


def verify_page(verify_token: str) -> Registration:
    return registration.verification(verify_token)


@dataclass
class FollowPage:
    registration: Registration
    session: TrainingSession
    position: int | None
    can_cancel: bool
    deadline: datetime
    has_attestation: bool  # marked present with a seat held: the PDF link


def follow_page(follow_token: str) -> FollowPage:
    found = cancellation.follower(follow_token)
    session = found.session
    deadline = cancellation.deadline(session)
    can_cancel = found.status in [str(s) for s in ACTIVE] and utcnow() < deadline
    return FollowPage(
        found, session, waitlist.position(found), can_cancel, deadline, attestations.counts(found)
    )


def cancel_step(actor, registration_ref: str) -> tuple[Step, Registration]:
    """The confirmation page before cancelling one's (or someone's) registration."""
    found = cancellation.registration_by_ref(registration_ref)
    require(actor, "training.cancel_registration", found)
    return _step(found), found


def follow_cancel_step(follow_token: str) -> tuple[Step, Registration]:
    found = cancellation.follower(follow_token)
    return _step(found), found


def _step(found: Registration) -> Step:
    session = found.session
    title = session.module.title(rendering_language())
    consequences = [gettext("%(title)s, %(when)s.", title=title, when=spoken(session.starts_at))]
    if found.status in (RegistrationStatus.REGISTERED, RegistrationStatus.OFFERED):
        consequences.append(gettext("Your seat will be offered to the next person on the waiting list."))
    elif found.status == RegistrationStatus.WAITING:
        consequences.append(gettext("You will leave the waiting list."))
    return Step(
        question=gettext("Cancel this registration?"),
        button=gettext("Cancel the registration"),
        consequences=consequences,
        danger=True,
    )


@dataclass
class HomeSummary:
    next_session: TrainingSession | None
    offers: int
    waiting: int


def home_summary(actor) -> HomeSummary | None:
    """The home card's figures: the next training with a seat, open offers, places on waiting lists; None
    for someone with no registration to come (or who may not register)."""
    if not may(actor, "training.mine"):
        return None
    page = mine(actor)
    if not (page.upcoming or page.offers or page.waiting):
        return None
    upcoming = page.upcoming[0].session if page.upcoming else None
    return HomeSummary(upcoming, len(page.offers), len(page.waiting))
