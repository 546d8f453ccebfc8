"""The outbox: one row per message, written in the transaction of the change that causes it."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coord.core.localtime import UTCDateTime, utcnow
from coord.directory.models import Person
from coord.extensions import db


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its (next) attempt
    SENDING = "sending"  # claimed by a sender; the SMTP exchange is under way
    SENT = "sent"
    FAILED = "failed"  # refused, or out of attempts: the coordinator may retry
    UNCERTAIN = "uncertain"  # the sender died mid-send: maybe delivered, never re-sent automatically


def _new_uuid() -> str:
    return str(uuid.uuid4())


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=_new_uuid)  # the Message-ID
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    to_address: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(2))
    template: Mapped[str] = mapped_column(String(80))  # name under templates/email/
    context: Mapped[dict] = mapped_column(JSON, default=dict)  # ids, names, ISO dates; no secrets
    attachments: Mapped[list] = mapped_column(JSON, default=list)  # [{filename, content_type, text}]
    status: Mapped[str] = mapped_column(String(10), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(String(500), default="")  # short, never the message's content
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)  # e.g. one reminder per event

    person: Mapped[Person | None] = relationship()

    @property
    def message_id(self) -> str:
        return f"<{self.uuid}@coord.local>"

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.template} {self.status}>"
