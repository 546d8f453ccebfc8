"""Awareness sessions (séances de sensibilisation): requests from schools, youth centres and other milieux,
the presenters who give them, their availability, and the booking settings.

A request is found in URLs by its random `ref`, never by its id. Its contact details are personal
information: they appear on the coordinator's pages and in the messages to the contact only (never in a
feed, a log or another person's e-mail).
"""

from __future__ import annotations

import enum
import secrets
from datetime import datetime, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coord.core.localtime import UTCDateTime, utcnow
from coord.directory.models import Organization, Person
from coord.extensions import db

MAX_WINDOWS = 3  # preferred time windows a request may give
MAX_PRESENTERS = 2  # presenters assigned to one session


def new_ref() -> str:
    """A random, URL-safe reference (16 characters) that says nothing about the row."""
    return secrets.token_urlsafe(12)


class Milieu(enum.StrEnum):
    SCHOOL = "school"
    YOUTH_CENTRE = "youth_centre"  # maison des jeunes
    HOMELESSNESS = "homelessness"  # ressource en itinérance
    HOSPITAL = "hospital"
    CLSC = "clsc"
    POLICE = "police"
    COMMUNITY = "community"
    OTHER = "other"


class Audience(enum.StrEnum):
    YOUTH = "youth"
    STAFF = "staff"
    PARENTS = "parents"


class SessionFormat(enum.StrEnum):
    IN_PERSON = "in_person"
    VIRTUAL = "virtual"


class RequestState(enum.StrEnum):
    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    HELD = "held"
    CANCELLED = "cancelled"


class CancelledBy(enum.StrEnum):
    REQUESTER = "requester"
    PROGRAM = "program"


class HistoryKind(enum.StrEnum):
    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    RESCHEDULE_ASKED = "reschedule_asked"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"
    HELD = "held"


# Québec's administrative regions (codes 01 to 17), in their official order.
REGIONS = (
    "01",  # Bas-Saint-Laurent
    "02",  # Saguenay–Lac-Saint-Jean
    "03",  # Capitale-Nationale
    "04",  # Mauricie
    "05",  # Estrie
    "06",  # Montréal
    "07",  # Outaouais
    "08",  # Abitibi-Témiscamingue
    "09",  # Côte-Nord
    "10",  # Nord-du-Québec
    "11",  # Gaspésie–Îles-de-la-Madeleine
    "12",  # Chaudière-Appalaches
    "13",  # Laval
    "14",  # Lanaudière
    "15",  # Laurentides
    "16",  # Montérégie
    "17",  # Centre-du-Québec
)


def _in(column: str, values) -> str:
    return f"{column} IN (" + ", ".join(f"'{value}'" for value in values) + ")"


class OutreachSettings(db.Model):
    """The booking rules the coordinator sets (one row, id 1; `coord.outreach.settings` makes it)."""

    __tablename__ = "outreach_settings"
    __table_args__ = (
        CheckConstraint("minimum_notice_days BETWEEN 0 AND 365", name="notice"),
        CheckConstraint("buffer_minutes BETWEEN 0 AND 480", name="buffer"),
        CheckConstraint("max_per_week BETWEEN 1 AND 20", name="weekly"),
        CheckConstraint("horizon_days BETWEEN 7 AND 730", name="horizon"),
        CheckConstraint("session_minutes BETWEEN 30 AND 480", name="length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    minimum_notice_days: Mapped[int] = mapped_column(Integer, default=10)
    buffer_minutes: Mapped[int] = mapped_column(Integer, default=60)  # before and after, for travel
    max_per_week: Mapped[int] = mapped_column(Integer, default=3)  # per presenter, Monday to Sunday
    horizon_days: Mapped[int] = mapped_column(Integer, default=120)  # how far ahead one may book
    session_minutes: Mapped[int] = mapped_column(Integer, default=90)  # an open slot's length
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Presenter(db.Model):
    """A person who presents (an intervenant·e or a partner), published by the coordinator."""

    __tablename__ = "outreach_presenter"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    languages: Mapped[str] = mapped_column(String(10), default="fr")  # "fr", "en" or "fr,en"
    # Bumped by every booking that assigns this presenter: the row update is the booking lock
    # (coord.outreach.booking), on PostgreSQL and on SQLite alike.
    bookings_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship(lazy="joined")
    windows: Mapped[list[AvailabilityWindow]] = relationship(
        back_populates="presenter",
        cascade="all, delete-orphan",
        order_by="AvailabilityWindow.weekday, AvailabilityWindow.starts",
    )


class AvailabilityWindow(db.Model):
    """A weekly window in Montréal local time (a wall-clock time, so it stays 9 h across the DST change)."""

    __tablename__ = "outreach_availability"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("ends > starts", name="order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    presenter_id: Mapped[int] = mapped_column(ForeignKey("outreach_presenter.id"), index=True)
    weekday: Mapped[int] = mapped_column(SmallInteger)  # 0 Monday … 6 Sunday
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)

    presenter: Mapped[Presenter] = relationship(back_populates="windows")


class OutreachRequest(db.Model):
    """A request for an awareness session, and the session it becomes once confirmed."""

    __tablename__ = "outreach_request"
    __table_args__ = (
        CheckConstraint(_in("state", [s.value for s in RequestState]), name="state"),
        CheckConstraint(_in("milieu", [m.value for m in Milieu]), name="milieu"),
        CheckConstraint(_in("format", [f.value for f in SessionFormat]), name="format"),
        CheckConstraint("expected_size BETWEEN 1 AND 2000", name="size"),
        CheckConstraint("starts_at IS NULL OR ends_at > starts_at", name="times"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(24), unique=True, default=new_ref)
    state: Mapped[str] = mapped_column(String(20), default=RequestState.REQUESTED, index=True)
    # Who asks: an organization of the directory (a signed-in requester or partner), or only its name.
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    organization_name: Mapped[str] = mapped_column(String(200))
    milieu: Mapped[str] = mapped_column(String(20))
    region: Mapped[str] = mapped_column(String(2))  # one of REGIONS
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254), index=True)  # lower-cased
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    language: Mapped[str] = mapped_column(String(2), default="fr")  # the session's and the contact's
    audiences: Mapped[str] = mapped_column(String(40))  # comma-separated Audience values
    expected_size: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(300), default="")  # in person only
    details: Mapped[str] = mapped_column(Text, default="")  # what the requester adds
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    # The session: set when an open slot is booked or the coordinator confirms.
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    video_url: Mapped[str] = mapped_column(String(500), default="")
    sequence: Mapped[int] = mapped_column(Integer, default=0)  # iTIP SEQUENCE, raised on every change
    # Bumped when the requester's signed link must stop working (a new link is sent with the new value).
    link_version: Mapped[int] = mapped_column(Integer, default=0)
    reschedule_asked: Mapped[bool] = mapped_column(Boolean, default=False)
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    cancelled_by: Mapped[str | None] = mapped_column(String(20))  # a CancelledBy
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    # Outcome, once held.
    people_reached: Mapped[int | None] = mapped_column(Integer)
    outcome_audiences: Mapped[str] = mapped_column(String(40), default="")
    outcome_notes: Mapped[str] = mapped_column(Text, default="")
    wants_training: Mapped[bool] = mapped_column(Boolean, default=False)  # a follow-up: a training request
    questions_to_route: Mapped[str] = mapped_column(Text, default="")  # a follow-up for a partner
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization | None] = relationship()
    requested_by: Mapped[Person | None] = relationship()
    windows: Mapped[list[PreferredWindow]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="PreferredWindow.starts_at"
    )
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="Assignment.id"
    )
    history: Mapped[list[RequestHistory]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="RequestHistory.id"
    )

    @property
    def uid(self) -> str:
        """The session's iCalendar UID: stable for its whole life, reschedules included."""
        return f"outreach-{self.id}@coord"

    @property
    def audience_list(self) -> list[str]:
        return [value for value in self.audiences.split(",") if value]

    @property
    def presenters(self) -> list[Presenter]:
        return [assignment.presenter for assignment in self.assignments if assignment.active]


class PreferredWindow(db.Model):
    """One of up to three time windows the requester would like (when no open slot was chosen)."""

    __tablename__ = "outreach_window"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("outreach_request.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)

    request: Mapped[OutreachRequest] = relationship(back_populates="windows")


class Assignment(db.Model):
    """A presenter holding a session's time, buffers included (`busy_from`, `busy_until`).

    Active assignments of one presenter never overlap: `coord.outreach.booking` writes them under the
    presenter's lock after asking the calendar's free/busy service."""

    __tablename__ = "outreach_assignment"
    __table_args__ = (
        UniqueConstraint("request_id", "presenter_id"),
        CheckConstraint("busy_until > busy_from", name="order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("outreach_request.id"), index=True)
    presenter_id: Mapped[int] = mapped_column(ForeignKey("outreach_presenter.id"), index=True)
    busy_from: Mapped[datetime] = mapped_column(UTCDateTime)
    busy_until: Mapped[datetime] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)

    request: Mapped[OutreachRequest] = relationship(back_populates="assignments")
    presenter: Mapped[Presenter] = relationship(lazy="joined")


class RequestHistory(db.Model):
    """What happened to a request, in order: the reschedules keep the earlier times here."""

    __tablename__ = "outreach_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("outreach_request.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # a HistoryKind
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))  # None: the requester by link
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the session's time after this step
    note: Mapped[str] = mapped_column(Text, default="")

    request: Mapped[OutreachRequest] = relationship(back_populates="history")
    actor: Mapped[Person | None] = relationship()
