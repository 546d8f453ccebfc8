"""Calendar tables: secret feed links, the change counters feeds are cached on, answers to invitations."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coord.core.localtime import UTCDateTime, utcnow
from coord.directory.models import Person
from coord.extensions import db


class FeedLink(db.Model):
    """A person's secret feed URL. The token is HMAC(SECRET_KEY, nonce): only the nonce and the token's
    SHA-256 are stored, so the database alone cannot rebuild a URL; a reset draws a new nonce. A link works
    only while its `token_version` is the person's (raised on deactivation, e-mail or password change)."""

    __tablename__ = "feed_link"
    __table_args__ = (UniqueConstraint("person_id", "scope", "scope_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(40))  # "person", or a registered scope's name
    scope_id: Mapped[int | None] = mapped_column(Integer)  # the scope's object, for scopes with an id
    nonce: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_version: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0"
    )  # the person's, when made
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship(lazy="joined")


class CalendarState(db.Model):
    """One row: a counter raised in the same transaction as any change that calendars show."""

    __tablename__ = "calendar_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CalendarScopeState(db.Model):
    """A counter per calendar scope (Scope.key: a person's, a committee's...), raised in the same
    transaction as a change that reaches that scope's feeds without touching their events' rows
    (a membership, a guest, a consent): see coord.calendar.changes."""

    __tablename__ = "calendar_scope_state"

    scope: Mapped[str] = mapped_column(String(80), primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Answer(enum.StrEnum):
    ACCEPTED = "accepted"
    TENTATIVE = "tentative"
    DECLINED = "declined"


class EventAnswer(db.Model):
    """A person's answer to an invitation, by event UID (the same for every module); `occurrence` is ""
    for the whole event or series, or the UTC start (YYYYMMDDTHHMMSSZ) of one occurrence of a series."""

    __tablename__ = "event_answer"
    __table_args__ = (UniqueConstraint("uid", "occurrence", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(200), index=True)
    occurrence: Mapped[str] = mapped_column(String(20), default="")
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    answer: Mapped[str] = mapped_column(String(20))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
