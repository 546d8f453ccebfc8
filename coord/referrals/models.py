"""A participant (a pseudonymous code, never a name), consents, referrals, intake people and the registers.

Confidential columns are marked: they never leave the pages that show them (no feed, e-mail, URL or log).
Every row a URL names is found by its random `ref`, never by its code or its sequential id.
"""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime

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

from coord.core.localtime import UTCDateTime, local_today, utcnow
from coord.directory.models import Organization, Person
from coord.extensions import db

MIN_AGE, MAX_AGE = 12, 24
GUARDIAN_AGE = 14  # under this age, a parent or tutor consents for the participant


def participant_subject(participant_id: int) -> str:
    """The audit log's `subject` for every entry that touches this participant's data."""
    return f"participant:{participant_id}"


def new_ref() -> str:
    """A random, URL-safe reference (16 characters) that says nothing about the row."""
    return secrets.token_urlsafe(12)


class ParticipantStatus(enum.StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class Gender(enum.StrEnum):
    GIRL = "girl"  # fille ou femme
    BOY = "boy"  # garçon ou homme
    NON_BINARY = "non_binary"
    TRANS_GIRL = "trans_girl"
    TRANS_BOY = "trans_boy"
    TWO_SPIRIT = "two_spirit"  # bispirituel·le
    OTHER = "other"  # autre


class ClosingReason(enum.StrEnum):
    GOALS_MET = "goals_met"
    PARTICIPANT_CHOICE = "participant_choice"  # participation is voluntary
    TRANSFERRED = "transferred"
    NO_CONTACT = "no_contact"
    AGE_LIMIT = "age_limit"
    OTHER = "other"


class Participant(db.Model):
    __tablename__ = "participant"
    __table_args__ = (
        CheckConstraint(f"age_at_intake BETWEEN {MIN_AGE} AND {MAX_AGE}", name="age_range"),
        UniqueConstraint("code_year", "code_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(24), unique=True, default=new_ref)
    code: Mapped[str | None] = mapped_column(String(20), unique=True)  # confidential; None once anonymized
    code_year: Mapped[int] = mapped_column(Integer)
    code_number: Mapped[int] = mapped_column(Integer)
    age_at_intake: Mapped[int] = mapped_column(Integer)
    intake_date: Mapped[date] = mapped_column(Date, default=local_today)
    gender: Mapped[str | None] = mapped_column(String(20))  # a Gender, or None (not asked, not said)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    intervenant_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    # The program's admission criteria, as recorded at intake.
    recognizes_harms: Mapped[bool] = mapped_column(Boolean, default=False)
    voluntary: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default=ParticipantStatus.ACTIVE, index=True)
    closed_on: Mapped[date | None] = mapped_column(Date)
    closing_reason: Mapped[str | None] = mapped_column(String(30))
    private_note: Mapped[str] = mapped_column(Text, default="")  # confidential: the participant's page only
    anonymized_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship(lazy="joined")
    intervenant: Mapped[Person | None] = relationship(foreign_keys=[intervenant_id], lazy="joined")
    consents: Mapped[list[Consent]] = relationship(
        back_populates="participant", order_by="Consent.given_on.desc(), Consent.id.desc()"
    )

    @property
    def is_active(self) -> bool:
        return self.status == ParticipantStatus.ACTIVE

    @property
    def audit_subject(self) -> str:
        return participant_subject(self.id)

    @property
    def age_band(self) -> str:
        """What a summary shows instead of the age: 12-13, 14-17 or 18-24."""
        if self.age_at_intake < GUARDIAN_AGE:
            return "12-13"
        return "14-17" if self.age_at_intake < 18 else "18-24"


class Purpose(enum.StrEnum):
    REFERRAL = "referral"
    CASE_CONFERENCE = "case_conference"
    FOLLOW_UP = "follow_up"  # sharing follow-up information


class ConsentForm(enum.StrEnum):
    VERBAL = "verbal"
    WRITTEN = "written"


class ConsentGiver(enum.StrEnum):
    PARTICIPANT = "participant"
    PARENT = "parent"
    TUTOR = "tutor"


class Consent(db.Model):
    """Specific (purposes, organizations named), informed, limited in time; withdrawn at once."""

    __tablename__ = "consent"
    __table_args__ = (CheckConstraint("expires_on >= given_on", name="expires_after_given"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(24), unique=True, default=new_ref)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    given_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)  # the last day it covers
    form: Mapped[str] = mapped_column(String(10))  # a ConsentForm
    given_by: Mapped[str] = mapped_column(String(20), default=ConsentGiver.PARTICIPANT)  # a ConsentGiver
    purposes: Mapped[list] = mapped_column(JSON, default=list)  # Purpose values
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    expiry_handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when the expiry sweep acted

    participant: Mapped[Participant] = relationship(back_populates="consents")
    organization_rows: Mapped[list[ConsentOrganization]] = relationship(
        back_populates="consent", cascade="all, delete-orphan", lazy="selectin"
    )
    recorded_by: Mapped[Person | None] = relationship(foreign_keys=[recorded_by_id])

    @property
    def audit_subject(self) -> str:
        return participant_subject(self.participant_id)

    @property
    def organization_ids(self) -> set[int]:
        return {row.organization_id for row in self.organization_rows}

    def is_active(self, on: date | None = None) -> bool:
        on = on or local_today()
        return self.withdrawn_at is None and self.given_on <= on <= self.expires_on

    def covers(self, purpose: str, organization_id: int, on: date | None = None) -> bool:
        return self.is_active(on) and purpose in self.purposes and organization_id in self.organization_ids


class ConsentOrganization(db.Model):
    __tablename__ = "consent_organization"
    __table_args__ = (UniqueConstraint("consent_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consent_id: Mapped[int] = mapped_column(ForeignKey("consent.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)

    consent: Mapped[Consent] = relationship(back_populates="organization_rows")
    organization: Mapped[Organization] = relationship(lazy="joined")


class IntakePerson(db.Model):
    """Someone an organization names to receive its referrals (its "accueil")."""

    __tablename__ = "intake_person"
    __table_args__ = (UniqueConstraint("organization_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    named_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship(foreign_keys=[person_id], lazy="joined")


class Service(enum.StrEnum):
    INDIVIDUAL_FOLLOW_UP = "individual_follow_up"
    ACTIVITY = "activity"  # recreational or cultural
    ACCOMPANIMENT = "accompaniment"  # to a specialized resource
    STUDIES_EMPLOYMENT = "studies_employment"
    OTHER = "other"


class Need(enum.StrEnum):
    BASIC_NEEDS = "basic_needs"
    HARM_REDUCTION = "harm_reduction"
    LIFE_PROJECT = "life_project"
    WELL_BEING = "well_being"


class Urgency(enum.StrEnum):
    SAME_DAY = "same_day"
    WITHIN_72_HOURS = "within_72_hours"
    ROUTINE = "routine"


class ReferralState(enum.StrEnum):
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"  # by the sender
    CLOSED = "closed"  # by the receiving organization, with an outcome
    SUSPENDED = "suspended"  # the consent no longer covers it (withdrawn or expired)


OPEN_STATES = (ReferralState.SENT, ReferralState.ACCEPTED)


class DeclineReason(enum.StrEnum):
    NO_CAPACITY = "no_capacity"
    NOT_ELIGIBLE = "not_eligible"
    SERVICE_NOT_OFFERED = "service_not_offered"
    BETTER_ELSEWHERE = "better_elsewhere"
    OTHER = "other"


class Outcome(enum.StrEnum):
    SERVICES_GIVEN = "services_given"
    PARTICIPANT_STOPPED = "participant_stopped"
    REDIRECTED = "redirected"
    NO_CONTACT = "no_contact"
    OTHER = "other"


class Referral(db.Model):
    __tablename__ = "referral"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(24), unique=True, default=new_ref)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    from_organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    to_organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    consent_id: Mapped[int | None] = mapped_column(ForeignKey("consent.id"))  # the basis when sent
    services: Mapped[list] = mapped_column(JSON, default=list)  # Service values
    services_other: Mapped[str] = mapped_column(String(200), default="")
    needs: Mapped[list] = mapped_column(JSON, default=list)  # Need values
    urgency: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")  # confidential
    state: Mapped[str] = mapped_column(String(20), default=ReferralState.SENT, index=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # answer expected by, from urgency
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    decline_reason: Mapped[str | None] = mapped_column(String(30))
    decline_note: Mapped[str] = mapped_column(Text, default="")  # confidential
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    outcome: Mapped[str | None] = mapped_column(String(30))
    feedback: Mapped[str] = mapped_column(Text, default="")  # confidential: to the sender
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    participant: Mapped[Participant] = relationship(lazy="joined")
    from_organization: Mapped[Organization] = relationship(foreign_keys=[from_organization_id])
    to_organization: Mapped[Organization] = relationship(foreign_keys=[to_organization_id])
    sender: Mapped[Person | None] = relationship(foreign_keys=[sender_id])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def audit_subject(self) -> str:
        return participant_subject(self.participant_id)


class DisclosureWhat(enum.StrEnum):
    REFERRAL_SUMMARY = "referral_summary"  # code, age band, services, urgency: to the intake people
    REFERRAL = "referral"  # the whole referral, once accepted
    CONFERENCE = "conference"  # a case conference's content, to an invitee's organization
    FOLLOW_UP = "follow_up"  # follow-up information (a referral's outcome and feedback)


class Disclosure(db.Model):
    """The register of disclosures (Law 25): each transmission of a participant's information between
    organizations — what, from whom, to whom, for which purpose, on which basis (a consent)."""

    __tablename__ = "disclosure"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    what: Mapped[str] = mapped_column(String(30))  # a DisclosureWhat
    purpose: Mapped[str] = mapped_column(String(30))  # a Purpose
    from_organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    to_organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    to_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    consent_id: Mapped[int | None] = mapped_column(ForeignKey("consent.id"))  # the basis
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[int | None] = mapped_column(Integer)

    participant: Mapped[Participant] = relationship()
    from_organization: Mapped[Organization] = relationship(foreign_keys=[from_organization_id])
    to_organization: Mapped[Organization] = relationship(foreign_keys=[to_organization_id])
    to_person: Mapped[Person | None] = relationship(foreign_keys=[to_person_id])


class RiskLevel(enum.StrEnum):
    LOW = "low"
    SERIOUS = "serious"  # "risque de préjudice sérieux": the Commission and the people must be told


class ConfidentialityIncident(db.Model):
    """The register of confidentiality incidents, with the fields Law 25's regulation asks for."""

    __tablename__ = "confidentiality_incident"
    __table_args__ = (
        CheckConstraint("people_count >= 0", name="people_count_positive"),
        CheckConstraint("discovered_on >= occurred_on", name="discovered_after_occurred"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(24), unique=True, default=new_ref)
    data_concerned: Mapped[str] = mapped_column(Text)
    circumstances: Mapped[str] = mapped_column(Text)
    occurred_on: Mapped[date] = mapped_column(Date)
    discovered_on: Mapped[date] = mapped_column(Date)
    people_count: Mapped[int] = mapped_column(Integer)
    risk_level: Mapped[str] = mapped_column(String(20))  # a RiskLevel
    risk_assessment: Mapped[str] = mapped_column(Text, default="")
    commission_notified_on: Mapped[date | None] = mapped_column(Date)  # Commission d'accès à l'information
    people_notified_on: Mapped[date | None] = mapped_column(Date)
    notices: Mapped[str] = mapped_column(Text, default="")
    measures: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class PurgeRun(db.Model):
    """One run of the retention purge: when, by whom, how many participants it anonymized."""

    __tablename__ = "participant_purge"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_label: Mapped[str] = mapped_column(String(40), default="")
    retention_days: Mapped[int] = mapped_column(Integer)
    closed_before: Mapped[date] = mapped_column(Date)
    anonymized: Mapped[int] = mapped_column(Integer, default=0)
