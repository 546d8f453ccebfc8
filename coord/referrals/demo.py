"""Demo referrals, all fictitious: intake people at FMV, SPVM and CCSMTL; five participants of the demo
intervenant (En Marge 12-17) with consents (active, withdrawn, expired, one given by a parent); referrals
in every state with their disclosure lines; two confidentiality incidents. Written directly with the models
(no e-mail leaves for demo data); dates relative to today\u00a0; seeding twice adds nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from coord.core.localtime import LOCAL_TZ, local_today
from coord.directory.models import Organization, Person
from coord.extensions import db
from coord.referrals.models import (
    ConfidentialityIncident,
    Consent,
    ConsentForm,
    ConsentGiver,
    ConsentOrganization,
    DeclineReason,
    Disclosure,
    DisclosureWhat,
    Gender,
    IntakePerson,
    Need,
    Outcome,
    Participant,
    ParticipantStatus,
    Purpose,
    Referral,
    ReferralState,
    RiskLevel,
    Service,
    Urgency,
)

DOMAIN = "demo.coord.test"
INTAKE = (("partner", "FMV"), ("police", "SPVM"), ("coordinator", "CCSMTL"))
ALL_PURPOSES = [Purpose.REFERRAL, Purpose.CASE_CONFERENCE, Purpose.FOLLOW_UP]
INCIDENT_MARK = "(démo)"


@dataclass(frozen=True)
class Context:
    today: date
    intervenant: Person
    home: Organization
    orgs: dict[str, Organization]
    intake: dict[str, Person]

    def at(self, days_ago: int, hour: int = 10) -> datetime:
        """A moment `days_ago` days before today, at `hour` (Montréal time)."""
        return datetime.combine(self.today - timedelta(days=days_ago), time(hour), tzinfo=LOCAL_TZ)


def _person(local_part: str) -> Person | None:
    return db.session.scalar(select(Person).where(Person.email == f"{local_part}@{DOMAIN}"))


def _intake_people(orgs: dict[str, Organization], coordinator: Person | None) -> dict[str, Person]:
    found = {}
    for local_part, short_name in INTAKE:
        person = _person(local_part)
        if person is None or person.organization_id != orgs[short_name].id:
            continue
        found[short_name] = person
        exists = db.session.scalar(
            select(IntakePerson.id).where(
                IntakePerson.organization_id == person.organization_id, IntakePerson.person_id == person.id
            )
        )
        if exists is None:
            db.session.add(
                IntakePerson(
                    organization_id=person.organization_id,
                    person_id=person.id,
                    named_by_id=coordinator.id if coordinator else None,
                )
            )
    return found


def seed(password: str | None = None) -> None:
    orgs = {o.short_name: o for o in db.session.scalars(select(Organization))}
    intervenant, coordinator = _person("intervenant"), _person("coordinator")
    if intervenant is None or not {"EM1217", "FMV", "SPVM", "CCSMTL"} <= set(orgs):
        return
    intake = _intake_people(orgs, coordinator)
    _incidents(coordinator)
    if db.session.scalar(select(Participant.id).where(Participant.intervenant_id == intervenant.id).limit(1)):
        return
    db.session.flush()
    context = Context(local_today(), intervenant, orgs["EM1217"], orgs, intake)
    _participants(context)


def _participant(context: Context, number: int, age: int, gender: str, intake_days_ago: int) -> Participant:
    year = context.today.year
    participant = Participant(
        code=f"SPH-{year}-{number:04d}",
        code_year=year,
        code_number=number,
        age_at_intake=age,
        intake_date=context.today - timedelta(days=intake_days_ago),
        gender=gender,
        organization_id=context.home.id,
        intervenant_id=context.intervenant.id,
        recognizes_harms=True,
        voluntary=True,
        created_by_id=context.intervenant.id,
    )
    db.session.add(participant)
    db.session.flush()
    return participant


def _consent(context, participant, organizations, purposes, given_ago, lasts, **extra) -> Consent:
    given_on = context.today - timedelta(days=given_ago)
    consent = Consent(
        participant_id=participant.id,
        given_on=given_on,
        expires_on=given_on + timedelta(days=lasts),
        form=extra.pop("form", ConsentForm.WRITTEN),
        given_by=extra.pop("given_by", ConsentGiver.PARTICIPANT),
        purposes=list(purposes),
        recorded_by_id=context.intervenant.id,
        recorded_at=context.at(given_ago),
        **extra,
    )
    consent.organization_rows = [
        ConsentOrganization(organization_id=context.orgs[o].id) for o in organizations
    ]
    db.session.add(consent)
    db.session.flush()
    return consent


def _disclose(context, referral: Referral, what: str, purpose: str, days_ago: int, reverse: bool = False):
    """A register line as the referral services write it (the summary to the intake, the whole referral
    once accepted, follow-up information back to the sender)."""
    sender_side, receiver_side = referral.from_organization_id, referral.to_organization_id
    receiver = next((p for p in context.intake.values() if p.organization_id == receiver_side), None)
    db.session.add(
        Disclosure(
            at=context.at(days_ago, 11),
            participant_id=referral.participant_id,
            what=what,
            purpose=purpose,
            from_organization_id=receiver_side if reverse else sender_side,
            to_organization_id=sender_side if reverse else receiver_side,
            to_person_id=context.intervenant.id if reverse else (receiver.id if receiver else None),
            consent_id=referral.consent_id,
            actor_id=(receiver.id if receiver else None) if reverse else context.intervenant.id,
            object_type="referral",
            object_id=referral.id,
        )
    )


def _referral(context, participant, consent, to: str, state: str, sent_ago: int, **values) -> Referral:
    sent_at = context.at(sent_ago, 9)
    urgency = values.pop("urgency", Urgency.ROUTINE)
    due = {Urgency.SAME_DAY: 1, Urgency.WITHIN_72_HOURS: 3, Urgency.ROUTINE: 10}[urgency]
    receiver = context.intake.get(to)
    referral = Referral(
        participant_id=participant.id,
        from_organization_id=context.home.id,
        to_organization_id=context.orgs[to].id,
        sender_id=context.intervenant.id,
        consent_id=consent.id if consent else None,
        services=values.pop("services", [Service.INDIVIDUAL_FOLLOW_UP]),
        needs=values.pop("needs", [Need.WELL_BEING]),
        urgency=urgency,
        note=values.pop("note", "Note fictive de démonstration."),
        state=state,
        sent_at=sent_at,
        due_at=sent_at + timedelta(days=due),
        created_at=sent_at,
        **values,
    )
    if state in (
        ReferralState.ACCEPTED,
        ReferralState.DECLINED,
        ReferralState.CLOSED,
        ReferralState.SUSPENDED,
    ):
        referral.answered_at = referral.answered_at or sent_at + timedelta(days=1)
        referral.answered_by_id = receiver.id if receiver else None
    db.session.add(referral)
    db.session.flush()
    _disclose(context, referral, DisclosureWhat.REFERRAL_SUMMARY, Purpose.REFERRAL, sent_ago)
    if state in (ReferralState.ACCEPTED, ReferralState.CLOSED, ReferralState.SUSPENDED):
        _disclose(context, referral, DisclosureWhat.REFERRAL, Purpose.REFERRAL, sent_ago - 1)
    return referral


def _participants(context: Context) -> None:
    today = context.today
    # 1. 15 years old: an active consent for FMV, SPVM and CCSMTL, every purpose.
    first = _participant(context, 1, 15, Gender.GIRL, 90)
    active = _consent(context, first, ("FMV", "SPVM", "CCSMTL"), ALL_PURPOSES, 60, 365)
    _referral(
        context, first, active, "FMV", ReferralState.SENT, 5, urgency=Urgency.WITHIN_72_HOURS
    )  # overdue
    _referral(
        context, first, active, "SPVM", ReferralState.ACCEPTED, 20,
        services=[Service.ACCOMPANIMENT], needs=[Need.HARM_REDUCTION], urgency=Urgency.WITHIN_72_HOURS,
    )  # fmt: skip
    closed = _referral(
        context, first, active, "CCSMTL", ReferralState.CLOSED, 50,
        services=[Service.INDIVIDUAL_FOLLOW_UP, Service.STUDIES_EMPLOYMENT], needs=[Need.LIFE_PROJECT],
        closed_at=context.at(10, 15), closed_by_id=getattr(context.intake.get("CCSMTL"), "id", None),
        outcome=Outcome.SERVICES_GIVEN, feedback="Retour fictif\u00a0: suivi complété, objectifs atteints.",
    )  # fmt: skip
    _disclose(context, closed, DisclosureWhat.FOLLOW_UP, Purpose.FOLLOW_UP, 10, reverse=True)

    # 2. 13 years old: the consent given by a parent; a referral waiting, not yet due.
    second = _participant(context, 2, 13, Gender.BOY, 30)
    parental = _consent(
        context, second, ("FMV",), [Purpose.REFERRAL, Purpose.FOLLOW_UP], 20, 180,
        given_by=ConsentGiver.PARENT, form=ConsentForm.VERBAL,
    )  # fmt: skip
    _referral(
        context, second, parental, "FMV", ReferralState.SENT, 1,
        services=[Service.ACTIVITY], needs=[Need.WELL_BEING], urgency=Urgency.ROUTINE,
    )  # fmt: skip

    # 3. 17 years old: consent withdrawn a week ago, so the accepted referral was suspended.
    third = _participant(context, 3, 17, Gender.NON_BINARY, 120)
    withdrawn_at = context.at(7, 14)
    withdrawn = _consent(
        context, third, ("SPVM",), [Purpose.REFERRAL], 100, 365,
        withdrawn_at=withdrawn_at, withdrawn_by_id=context.intervenant.id,
    )  # fmt: skip
    _referral(
        context, third, withdrawn, "SPVM", ReferralState.SUSPENDED, 30,
        services=[Service.ACCOMPANIMENT], suspended_at=withdrawn_at,
    )  # fmt: skip

    # 4. 19 years old: a consent that expired a month ago; one referral declined, one withdrawn.
    fourth = _participant(context, 4, 19, Gender.TRANS_GIRL, 420)
    expired = _consent(
        context, fourth, ("FMV", "CCSMTL"), [Purpose.REFERRAL], 400, 365, expiry_handled_at=context.at(34, 3)
    )
    _referral(
        context, fourth, expired, "CCSMTL", ReferralState.DECLINED, 380,
        decline_reason=DeclineReason.NO_CAPACITY,
        decline_note="Refus fictif\u00a0: liste d'attente complète.",
    )  # fmt: skip
    _referral(
        context, fourth, expired, "FMV", ReferralState.WITHDRAWN, 370, withdrawn_at=context.at(369, 16),
    )  # fmt: skip

    # 5. 23 years old: closed two months ago (the purge leaves them until the retention has passed).
    fifth = _participant(context, 5, 23, None, 700)
    fifth.status = ParticipantStatus.CLOSED
    fifth.closed_on = today - timedelta(days=60)
    fifth.closing_reason = "goals_met"


INCIDENTS = [
    dict(
        data_concerned=f"Code de participant·e et date d'une rencontre de concertation {INCIDENT_MARK}",
        circumstances="Courriel envoyé par erreur à une personne d'un autre organisme partenaire, "
        "qui l'a supprimé et l'a confirmé par écrit.",
        occurred_days_ago=45,
        discovered_days_ago=44,
        people_count=1,
        risk_level=RiskLevel.LOW,
        risk_assessment="Information peu sensible, destinataire tenue à la confidentialité\u00a0: "
        "risque faible.",
        measures="Rappel aux équipes\u00a0: vérifier les destinataires\u00a0; suppression confirmée.",
    ),
    dict(
        data_concerned=f"Notes de suivi de trois participant·es (codes seulement) {INCIDENT_MARK}",
        circumstances="Ordinateur portable volé dans un véhicule\u00a0; le disque n'était pas chiffré.",
        occurred_days_ago=4,
        discovered_days_ago=3,
        people_count=3,
        risk_level=RiskLevel.SERIOUS,
        risk_assessment="Information sensible sur des personnes mineures\u00a0: risque de préjudice sérieux.",
        measures="Mots de passe changés, plainte déposée, chiffrement des postes en cours.",
    ),
]


def _incidents(coordinator: Person | None) -> None:
    exists = db.session.scalar(
        select(ConfidentialityIncident.id).where(
            ConfidentialityIncident.data_concerned.contains(INCIDENT_MARK)
        )
    )
    if exists is not None:
        return
    today = local_today()
    for values in INCIDENTS:
        values = dict(values)
        occurred = today - timedelta(days=values.pop("occurred_days_ago"))
        discovered = today - timedelta(days=values.pop("discovered_days_ago"))
        db.session.add(
            ConfidentialityIncident(
                occurred_on=occurred,
                discovered_on=discovered,
                recorded_by_id=coordinator.id if coordinator else None,
                **values,
            )
        )
