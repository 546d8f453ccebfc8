"""Directory models: organizations, people and their roles, committees, login sessions."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coord.core.localtime import UTCDateTime, utcnow
from coord.extensions import db


class Role(enum.StrEnum):
    COORDINATOR = "coordinator"
    INTERVENANT = "intervenant"
    PARTNER = "partner"
    REQUESTER = "requester"
    RESEARCHER = "researcher"
    ADMIN = "admin"


class Sector(enum.StrEnum):
    """What an organization is, partner of the program or not (`Organization.is_partner` says that):
    HEALTH_SOCIAL for the CIUSSS and CISSS (their youth centres included), POLICE, COMMUNITY for community
    groups (a maison des jeunes too), EDUCATION for schools and school service centres, OTHER for the rest
    (shelters, municipal services, private organizations...).

    Rules may name a sector (police is told apart from the other intervenants this way), but a sector
    grants nothing by itself: a rule that names one also asks a role, a membership or an invitation."""

    HEALTH_SOCIAL = "health_social"  # CIUSSS, CISSS: health and social services
    POLICE = "police"
    COMMUNITY = "community"
    EDUCATION = "education"
    OTHER = "other"


class CommitteeRole(enum.StrEnum):
    MEMBER = "member"
    CHAIR = "chair"
    SECRETARY = "secretary"


SECTOR_CHECK = "sector IN (" + ", ".join(f"'{sector.value}'" for sector in Sector) + ")"


class Organization(db.Model):
    __tablename__ = "organization"
    __table_args__ = (CheckConstraint(SECTOR_CHECK, name="sector"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    short_name: Mapped[str] = mapped_column(String(40), unique=True)
    sector: Mapped[str] = mapped_column(String(20))
    region: Mapped[str] = mapped_column(String(100), default="")
    is_partner: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    people: Mapped[list[Person]] = relationship(back_populates="organization")

    def __repr__(self) -> str:
        return f"<Organization {self.short_name}>"


class Person(UserMixin, db.Model):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # always stored lower-cased
    # An address asked for and not yet confirmed from that address (coord/directory/email_change.py).
    pending_email: Mapped[str | None] = mapped_column(String(254))
    display_name: Mapped[str] = mapped_column(String(120))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    preferred_language: Mapped[str] = mapped_column(String(2), default="fr")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_secret: Mapped[str | None] = mapped_column(String(255))  # encrypted (coord/directory/totp_crypto.py)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Only ever goes up (deactivation, e-mail change, password reset or change): every token, secret link
    # and login session made under an older value is dead for good.
    token_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship(back_populates="people", lazy="joined")
    role_rows: Mapped[list[PersonRole]] = relationship(
        back_populates="person", cascade="all, delete-orphan", lazy="selectin"
    )
    memberships: Mapped[list[CommitteeMembership]] = relationship(
        back_populates="person", cascade="all, delete-orphan"
    )

    @property
    def roles(self) -> set[str]:
        return {row.role for row in self.role_rows}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def sector(self) -> str:
        """The sector of the person's organization (a `Sector` value), for rules that name one: police is
        told apart this way. It grants nothing by itself."""
        return self.organization.sector

    @property
    def is_staff(self) -> bool:
        """Coordinators and administrators: the program's staff (other modules' rules ask this)."""
        return self.has_role(Role.COORDINATOR, Role.ADMIN)

    def sits_on(self, committee_id: int | None) -> bool:
        """A current member of this committee (staff roles do not extend it)."""
        return committee_id is not None and any(m.committee_id == committee_id for m in self.memberships)

    def is_secretary_of(self, committee_id: int | None) -> bool:
        return committee_id is not None and any(
            m.committee_id == committee_id and m.role == CommitteeRole.SECRETARY for m in self.memberships
        )

    @property
    def is_active(self) -> bool:  # Flask-Login reads this
        return self.active

    @property
    def totp_enabled(self) -> bool:
        return self.totp_secret is not None

    def __repr__(self) -> str:
        return f"<Person {self.id}>"


class PersonRole(db.Model):
    __tablename__ = "person_role"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)

    person: Mapped[Person] = relationship(back_populates="role_rows")


class Committee(db.Model):
    __tablename__ = "committee"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_fr: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    quorum: Mapped[int | None] = mapped_column(Integer)  # members present for decisions; None: a majority

    memberships: Mapped[list[CommitteeMembership]] = relationship(
        back_populates="committee", cascade="all, delete-orphan"
    )

    def name_for(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_fr


class CommitteeMembership(db.Model):
    __tablename__ = "committee_membership"
    __table_args__ = (UniqueConstraint("committee_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committee.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default=CommitteeRole.MEMBER)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    committee: Mapped[Committee] = relationship(back_populates="memberships")
    person: Mapped[Person] = relationship(back_populates="memberships", lazy="joined")


class LoginSession(db.Model):
    """A server-side login session; the browser cookie holds only its random token."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ip: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    token_version: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0"
    )  # the person's, at login

    person: Mapped[Person] = relationship()
