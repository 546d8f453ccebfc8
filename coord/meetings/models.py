"""Meetings: a series (one RRULE) with its exceptions as Meeting rows, or a single Meeting."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coord.core.localtime import UTCDateTime, utcnow
from coord.directory.models import Committee, Person
from coord.extensions import db

UID_DOMAIN = "coord.spheres"


class MeetingStatus(enum.StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"


class Frequency(enum.StrEnum):
    WEEKLY = "weekly"  # every N weeks on the first meeting's weekday
    MONTHLY_BY_DATE = "monthly_by_date"  # every N months on the first meeting's day of the month
    MONTHLY_BY_WEEKDAY = "monthly_by_weekday"  # every N months on the Nth (or last) weekday, e.g. 2nd Tuesday


class MeetingSeries(db.Model):
    __tablename__ = "meeting_series"
    __table_args__ = (
        CheckConstraint("duration_minutes > 0", name="positive_duration"),
        CheckConstraint("repeat_interval BETWEEN 1 AND 12", name="interval_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committee.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(String(300), default="")
    video_url: Mapped[str] = mapped_column(String(500), default="")
    first_start: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    frequency: Mapped[str] = mapped_column(String(30))
    repeat_interval: Mapped[int] = mapped_column(Integer, default=1)
    until_date: Mapped[date | None] = mapped_column(Date)  # last local date a meeting may fall on
    count: Mapped[int | None] = mapped_column(Integer)
    last_start: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: repeats without end
    status: Mapped[str] = mapped_column(String(20), default=MeetingStatus.PLANNED)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    committee: Mapped[Committee | None] = relationship(lazy="joined")
    exceptions: Mapped[list[Meeting]] = relationship(back_populates="series")
    guests: Mapped[list[MeetingGuest]] = relationship(
        back_populates="series", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def uid(self) -> str:
        return f"meeting-series-{self.id}@{UID_DOMAIN}"

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)


class Meeting(db.Model):
    """A single meeting, or one occurrence of a series that was moved, cancelled or given content."""

    __tablename__ = "meeting"
    __table_args__ = (
        UniqueConstraint("series_id", "original_start"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_series.id"), index=True)
    original_start: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the series slot it stands for
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committee.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    location: Mapped[str] = mapped_column(String(300), default="")
    video_url: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(20), default=MeetingStatus.PLANNED)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    agenda_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    quorum_needed: Mapped[int | None] = mapped_column(Integer)  # fixed when attendance is recorded
    notes: Mapped[str] = mapped_column(Text, default="")
    # Set: the agenda-and-minutes record of something else (see hosts.py), never listed nor on calendars.
    host: Mapped[str | None] = mapped_column(String(40), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    series: Mapped[MeetingSeries | None] = relationship(back_populates="exceptions")
    committee: Mapped[Committee | None] = relationship(lazy="joined")
    guests: Mapped[list[MeetingGuest]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", lazy="selectin"
    )
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )
    minutes: Mapped[Minutes | None] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", foreign_keys="Minutes.meeting_id"
    )

    @property
    def uid(self) -> str:
        return self.series.uid if self.series_id and self.series else f"meeting-{self.id}@{UID_DOMAIN}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def is_hosted(self) -> bool:
        """The agenda-and-minutes record of another module's object: its host decides everything."""
        return self.host is not None

    @property
    def audit_subject(self) -> str:
        """Whose data a hosted record holds (its host says); "" for a meeting of its own."""
        if self.host is None:
            return ""
        from coord.meetings.hosts import subject_of  # the hosts' registry imports these models

        return subject_of(self)

    @property
    def is_published(self) -> bool:
        """On calendars: published itself or, for an occurrence, through its series."""
        series = self.series
        return (series.published_at if series is not None else self.published_at) is not None


class MeetingGuest(db.Model):
    """A person invited besides the committee's members, to a single meeting or to a whole series."""

    __tablename__ = "meeting_guest"
    __table_args__ = (
        CheckConstraint("(meeting_id IS NULL) <> (series_id IS NULL)", name="one_target"),
        UniqueConstraint("meeting_id", "person_id"),
        UniqueConstraint("series_id", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_series.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)

    meeting: Mapped[Meeting | None] = relationship(back_populates="guests")
    series: Mapped[MeetingSeries | None] = relationship(back_populates="guests")
    person: Mapped[Person] = relationship(lazy="joined")


def _subject(meeting: Meeting | None, meeting_id: int | None) -> str:
    """The audit subject of a row of a meeting (its hosted record's, else "")."""
    meeting = meeting or (db.session.get(Meeting, meeting_id) if meeting_id else None)
    return meeting.audit_subject if meeting is not None else ""


# Agenda, attendance, minutes, decisions and action items ----------------------------------------------


class ItemKind(enum.StrEnum):
    INFORMATION = "information"
    DISCUSSION = "discussion"
    DECISION = "decision"


class AgendaItem(db.Model):
    """One numbered agenda item; its number is its rank by `position` within the meeting."""

    __tablename__ = "agenda_item"
    __table_args__ = (CheckConstraint("duration_minutes BETWEEN 1 AND 600", name="duration_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    presenter_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    presenter_name: Mapped[str] = mapped_column(String(120), default="")  # free text when not a person
    duration_minutes: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20), default=ItemKind.INFORMATION)
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown, sanitized when rendered
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items")
    presenter: Mapped[Person | None] = relationship()

    @property
    def audit_subject(self) -> str:
        return _subject(self.meeting, self.meeting_id)


class Presence(enum.StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"


class Attendance(db.Model):
    """Who was there, recorded by the coordinator at or after the meeting."""

    __tablename__ = "meeting_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    presence: Mapped[str] = mapped_column(String(20))
    member: Mapped[bool] = mapped_column(Boolean, default=False)  # a committee member at the time
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])


class MinutesState(enum.StrEnum):
    DRAFT = "draft"  # editors only
    CIRCULATED = "circulated"  # members read and comment
    APPROVED = "approved"  # locked; a correction makes a new revision with a reason


class Minutes(db.Model):
    """A meeting's minutes: the current content, its state, and the number of its latest revision."""

    __tablename__ = "minutes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), unique=True)
    state: Mapped[str] = mapped_column(String(20), default=MinutesState.DRAFT)
    revision: Mapped[int] = mapped_column(Integer, default=0)  # number of the latest MinutesRevision
    content: Mapped[dict] = mapped_column(JSON, default=dict)  # {"general": str, "items": {item id: str}}
    circulated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    # The meeting at which they were adopted (None: approved by the coordinator between meetings).
    adopted_at_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="minutes", foreign_keys=[meeting_id])
    adopted_at_meeting: Mapped[Meeting | None] = relationship(foreign_keys=[adopted_at_meeting_id])
    approved_by: Mapped[Person | None] = relationship()
    revisions: Mapped[list[MinutesRevision]] = relationship(
        back_populates="minutes", cascade="all, delete-orphan", order_by="MinutesRevision.number"
    )

    @property
    def audit_subject(self) -> str:
        return _subject(self.meeting, self.meeting_id)


class MinutesRevision(db.Model):
    """Every save of the minutes: who, when, the whole content (notes, decisions, actions) as saved."""

    __tablename__ = "minutes_revision"
    __table_args__ = (UniqueConstraint("minutes_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(ForeignKey("minutes.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20))  # the minutes' state when saved
    author_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    reason: Mapped[str] = mapped_column(Text, default="")  # required for a correction of approved minutes
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    minutes: Mapped[Minutes] = relationship(back_populates="revisions")
    author: Mapped[Person | None] = relationship()


class MinutesComment(db.Model):
    """A member's comment on circulated minutes."""

    __tablename__ = "minutes_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(ForeignKey("minutes.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[Person] = relationship()
    minutes: Mapped[Minutes | None] = relationship()

    @property
    def audit_subject(self) -> str:
        minutes = self.minutes or db.session.get(Minutes, self.minutes_id)
        return _subject(minutes.meeting, minutes.meeting_id) if minutes is not None else ""


class Decision(db.Model):
    __tablename__ = "decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class ActionItem(db.Model):
    """An action decided at a meeting; open ones carry forward to the committee's next agendas."""

    __tablename__ = "action_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committee.id"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id", ondelete="SET NULL"))
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    owner_name: Mapped[str] = mapped_column(String(120), default="")  # free text when not a person
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=ActionStatus.OPEN, index=True)
    done_on: Mapped[date | None] = mapped_column(Date)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    meeting: Mapped[Meeting] = relationship()
    owner: Mapped[Person | None] = relationship(foreign_keys=[owner_id])

    @property
    def audit_subject(self) -> str:
        return _subject(self.meeting, self.meeting_id)
