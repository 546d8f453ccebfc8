"""A case conference about one participant, and its invitees. Its title and notes are confidential: they
never leave this module. Its agenda and minutes live in a hosted meeting record (`record`, see record.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coord.core.localtime import UTCDateTime, utcnow
from coord.directory.models import Person
from coord.extensions import db
from coord.meetings.models import Meeting
from coord.referrals.models import Participant, participant_subject

UID_DOMAIN = "coord.spheres"


class CaseConference(db.Model):
    __tablename__ = "case_conference"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))  # confidential
    notes: Mapped[str] = mapped_column(Text, default="")  # confidential
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    location: Mapped[str] = mapped_column(String(300), default="")
    video_url: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(20), default="planned")
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    organizer_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"), index=True)
    # The hosted meeting that holds the agenda and the minutes (host "conferences").
    record_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organizer: Mapped[Person] = relationship(lazy="joined")
    participant: Mapped[Participant | None] = relationship()
    record: Mapped[Meeting | None] = relationship()
    invitees: Mapped[list[ConferenceInvitee]] = relationship(
        back_populates="conference", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def uid(self) -> str:
        return f"case-conference-{self.id}@{UID_DOMAIN}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def audit_subject(self) -> str:
        return participant_subject(self.participant_id) if self.participant_id is not None else ""


class ConferenceInvitee(db.Model):
    __tablename__ = "conference_invitee"
    __table_args__ = (UniqueConstraint("conference_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("case_conference.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)

    conference: Mapped[CaseConference] = relationship(back_populates="invitees")
    person: Mapped[Person] = relationship(lazy="joined")
