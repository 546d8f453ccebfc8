"""The training calendar: the catalogue of modules, the sessions that give them (in one or several parts),
registrations with the waiting list and seat offers, attendance and attestations, and organizations'
requests for a training.

Sessions, registrations and requests are found in URLs by their random `ref`, never by their id. An
outside registrant's name and address are personal information: they appear on the coordinator's and the
trainers' pages and in the messages to that person only (never in a feed, a log or another person's e-mail).
"""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coord.core.localtime import UTCDateTime, utcnow
from coord.directory.models import Organization, Person
from coord.extensions import db

MAX_PARTS = 10  # parts (dates and times) of one session
MAX_TRAINERS = 6


def new_ref() -> str:
    """A random, URL-safe reference (16 characters) that says nothing about the row."""
    return secrets.token_urlsafe(12)


def _in(column: str, values) -> str:
    return f"{column} IN (" + ", ".join(f"'{value}'" for value in values) + ")"


class SessionStatus(enum.StrEnum):
    PLANNED = "planned"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


class Audience(enum.StrEnum):
    """Who may register for a session."""

    PARTNERS = "partners"  # people of the program's partner organizations only
    OPEN = "open"  # outside organizations too, from the public page


class RegistrationStatus(enum.StrEnum):
    UNVERIFIED = "unverified"  # an outside person who has not yet opened the verification link
    REGISTERED = "registered"  # holds a seat
    WAITING = "waiting"  # on the waiting list (its `queue_number` gives the order)
    OFFERED = "offered"  # a freed seat is held for them until `offer_expires_at`
    CANCELLED = "cancelled"  # by the person, the coordinator, or with the session
    LAPSED = "lapsed"  # an offer not claimed in time: the seat went to the next person


# The statuses that hold a seat, and those that count as "already registered" for the same person.
HOLDING = (RegistrationStatus.REGISTERED, RegistrationStatus.OFFERED)
ACTIVE = (
    RegistrationStatus.UNVERIFIED,
    RegistrationStatus.REGISTERED,
    RegistrationStatus.WAITING,
    RegistrationStatus.OFFERED,
)
_ACTIVE_SQL = "status IN ('unverified','registered','waiting','offered')"


class Attendance(enum.StrEnum):
    PRESENT = "present"
    PARTIAL = "partial"
    ABSENT = "absent"


class RequestStatus(enum.StrEnum):
    OPEN = "open"
    SCHEDULED = "scheduled"  # turned into a session
    DECLINED = "declined"


class TrainingModule(db.Model):
    """A module of the program's catalogue, in French and English."""

    __tablename__ = "training_module"
    __table_args__ = (CheckConstraint("duration_minutes BETWEEN 30 AND 6000", name="duration"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # e.g. "mi-initial"
    position: Mapped[int] = mapped_column(Integer, default=0)  # order in the catalogue
    title_fr: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    description_fr: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    audience_fr: Mapped[str] = mapped_column(String(300), default="")  # for whom, in words
    audience_en: Mapped[str] = mapped_column(String(300), default="")
    duration_minutes: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    prerequisites: Mapped[list[TrainingModule]] = relationship(
        secondary="training_prerequisite",
        primaryjoin="TrainingModule.id == training_prerequisite.c.module_id",
        secondaryjoin="TrainingModule.id == training_prerequisite.c.required_id",
        order_by="TrainingModule.position",
    )

    def title(self, language: str) -> str:
        return self.title_en if language == "en" else self.title_fr

    def description(self, language: str) -> str:
        return self.description_en if language == "en" else self.description_fr

    def audience(self, language: str) -> str:
        return self.audience_en if language == "en" else self.audience_fr


class Prerequisite(db.Model):
    """`module_id` requires having attended `required_id`: marked present (not partly) at one of its
    sessions."""

    __tablename__ = "training_prerequisite"
    __table_args__ = (CheckConstraint("module_id <> required_id", name="self"),)

    module_id: Mapped[int] = mapped_column(ForeignKey("training_module.id"), primary_key=True)
    required_id: Mapped[int] = mapped_column(ForeignKey("training_module.id"), primary_key=True)


class TrainingSession(db.Model):
    """One offering of a module: its parts, trainers, place, capacity and registration dates."""

    __tablename__ = "training_session"
    __table_args__ = (
        CheckConstraint(_in("status", [s.value for s in SessionStatus]), name="status"),
        CheckConstraint(_in("audience", [a.value for a in Audience]), name="audience"),
        CheckConstraint("capacity BETWEEN 1 AND 1000", name="capacity"),
        CheckConstraint("per_organization_limit IS NULL OR per_organization_limit >= 1", name="org_limit"),
        CheckConstraint("registration_closes_at > registration_opens_at", name="registration"),
        CheckConstraint("ends_at > starts_at", name="times"),
        CheckConstraint("offer_hours BETWEEN 1 AND 336", name="offer"),
        CheckConstraint("cancel_hours_before BETWEEN 0 AND 720", name="cancel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(24), unique=True, default=new_ref)
    module_id: Mapped[int] = mapped_column(ForeignKey("training_module.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=SessionStatus.PLANNED, index=True)
    audience: Mapped[str] = mapped_column(String(20), default=Audience.PARTNERS)
    language: Mapped[str] = mapped_column(String(2), default="fr")  # the language the session is given in
    capacity: Mapped[int] = mapped_column(Integer)
    per_organization_limit: Mapped[int | None] = mapped_column(Integer)  # seats one organization may hold
    place: Mapped[str] = mapped_column(String(300), default="")
    video_url: Mapped[str] = mapped_column(String(500), default="")
    notes: Mapped[str] = mapped_column(Text, default="")  # shown to registrants (what to bring, access)
    registration_opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A registrant may cancel until this many hours before the first part (then: the coordinator).
    cancel_hours_before: Mapped[int] = mapped_column(Integer, default=48)
    offer_hours: Mapped[int] = mapped_column(Integer, default=48)  # how long a freed seat is held for someone
    # The first part's start and the last part's end, kept in step with the parts (for queries and feeds).
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sequence: Mapped[int] = mapped_column(Integer, default=0)  # iTIP SEQUENCE, raised on every change of time
    next_queue_number: Mapped[int] = mapped_column(Integer, default=1)  # the waiting list's next number
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    request_id: Mapped[int | None] = mapped_column(ForeignKey("training_request.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    module: Mapped[TrainingModule] = relationship(lazy="joined")
    parts: Mapped[list[SessionPart]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionPart.starts_at"
    )
    # Read-only: services add and delete Trainer rows (so that the trainers' calendars hear of it).
    trainers: Mapped[list[Person]] = relationship(
        secondary="training_trainer", order_by="Person.display_name", viewonly=True
    )
    registrations: Mapped[list[Registration]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="Registration.id"
    )
    request: Mapped[TrainingRequest | None] = relationship(foreign_keys=[request_id])

    @property
    def is_open_to_outside(self) -> bool:
        return self.audience == Audience.OPEN


class SessionPart(db.Model):
    """One date and time of a session (a two-day training has two parts)."""

    __tablename__ = "training_part"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_session.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)

    session: Mapped[TrainingSession] = relationship(back_populates="parts")

    @property
    def uid(self) -> str:
        """The part's iCalendar UID: stable while the part exists, its time changes included."""
        return f"training-{self.session_id}-{self.id}@coord"


class Trainer(db.Model):
    __tablename__ = "training_trainer"

    session_id: Mapped[int] = mapped_column(ForeignKey("training_session.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True, index=True)


class Registration(db.Model):
    """A person's place in a session: a seat, a place on the waiting list, or an offer of a freed seat.

    A partner's registration names their account (`person_id`); an outside person's carries their name,
    address and organization's name, and waits for the e-mail's verification before it counts."""

    __tablename__ = "training_registration"
    __table_args__ = (
        CheckConstraint(_in("status", [s.value for s in RegistrationStatus]), name="status"),
        CheckConstraint(
            f"attendance IS NULL OR {_in('attendance', [a.value for a in Attendance])}", name="attendance"
        ),
        CheckConstraint("person_id IS NOT NULL OR email <> ''", name="who"),
        # One active registration per person and per address in a session (a double registration is refused).
        Index(
            "uq_training_registration_person_active",
            "session_id",
            "person_id",
            unique=True,
            sqlite_where=text(f"person_id IS NOT NULL AND {_ACTIVE_SQL}"),
            postgresql_where=text(f"person_id IS NOT NULL AND {_ACTIVE_SQL}"),
        ),
        Index(
            "uq_training_registration_email_active",
            "session_id",
            "email",
            unique=True,
            sqlite_where=text(f"email <> '' AND {_ACTIVE_SQL}"),
            postgresql_where=text(f"email <> '' AND {_ACTIVE_SQL}"),
        ),
        UniqueConstraint("session_id", "queue_number", name="uq_training_registration_queue"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(24), unique=True, default=new_ref)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_session.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    # An outside person (no account): their name, lower-cased address and organization's name.
    name: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    organization_name: Mapped[str] = mapped_column(String(200), default="")
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    # What the per-organization limit counts: "org:<id>" for the directory's, "name:<lower-cased name>" else.
    organization_key: Mapped[str] = mapped_column(String(220), default="")
    language: Mapped[str] = mapped_column(String(2), default="fr")  # the person's messages and attestation
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))  # the coordinator, or self
    # The waiting list: a number given once, in order of arrival (never reused in the session).
    queue_number: Mapped[int | None] = mapped_column(Integer)
    offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    offer_version: Mapped[int] = mapped_column(Integer, default=0)  # in the claim link: a new offer kills it
    link_version: Mapped[int] = mapped_column(Integer, default=0)  # in the outside person's links
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attendance: Mapped[str | None] = mapped_column(String(10))  # an Attendance, marked by a trainer
    attendance_marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    attendance_marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attestation_code: Mapped[str | None] = mapped_column(String(40), unique=True)  # made when marked present
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    session: Mapped[TrainingSession] = relationship(back_populates="registrations")
    person: Mapped[Person | None] = relationship(foreign_keys=[person_id])
    organization: Mapped[Organization | None] = relationship()

    @property
    def display_name(self) -> str:
        return self.person.display_name if self.person is not None else self.name

    @property
    def address(self) -> str:
        return self.person.email if self.person is not None else self.email


class TrainingRequest(db.Model):
    """An organization asks for a training: which module, for whom, how many, when."""

    __tablename__ = "training_request"
    __table_args__ = (
        CheckConstraint(_in("status", [s.value for s in RequestStatus]), name="status"),
        CheckConstraint("expected_size BETWEEN 1 AND 1000", name="size"),
        CheckConstraint("period_end >= period_start", name="period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(24), unique=True, default=new_ref)
    status: Mapped[str] = mapped_column(String(20), default=RequestStatus.OPEN, index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("training_module.id"))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    organization_name: Mapped[str] = mapped_column(String(200))
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254))  # lower-cased
    language: Mapped[str] = mapped_column(String(2), default="fr")
    audience: Mapped[str] = mapped_column(String(300))  # who would attend, in words
    expected_size: Mapped[int] = mapped_column(Integer)
    period_start: Mapped[date] = mapped_column(Date)  # when they would like it
    period_end: Mapped[date] = mapped_column(Date)
    details: Mapped[str] = mapped_column(Text, default="")
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    module: Mapped[TrainingModule] = relationship()
    organization: Mapped[Organization | None] = relationship()
    requested_by: Mapped[Person | None] = relationship(foreign_keys=[requested_by_id])
