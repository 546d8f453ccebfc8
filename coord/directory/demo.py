"""Demo data for the directory: the six partners, outside milieux, both committees, one account per role."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from coord.core.localtime import utcnow
from coord.directory import passwords
from coord.directory.models import (
    Committee,
    CommitteeMembership,
    CommitteeRole,
    Organization,
    Person,
    PersonRole,
    Role,
    Sector,
)
from coord.extensions import db

DEMO_DOMAIN = "demo.coord.test"

ORGANIZATIONS = [
    # name, short name, sector, region, partner
    ("CIUSSS du Centre-Sud-de-l'Île-de-Montréal", "CCSMTL", Sector.HEALTH_SOCIAL, "Montréal", True),
    ("CIUSSS de l'Ouest-de-l'Île-de-Montréal", "CODIM", Sector.HEALTH_SOCIAL, "Montréal", True),
    ("Service de police de la Ville de Montréal", "SPVM", Sector.POLICE, "Montréal", True),
    ("Fondation Marie-Vincent", "FMV", Sector.COMMUNITY, "Montréal", True),
    ("En Marge 12-17", "EM1217", Sector.COMMUNITY, "Montréal", True),
    ("L'Anonyme", "ANONYME", Sector.COMMUNITY, "Montréal", True),
    # Outside the partnership: they request sessions or trainings.
    ("École secondaire Jeanne-Mance", "ESJM", Sector.EDUCATION, "Montréal", False),
    ("Maison des jeunes de Saint-Michel", "MDJSM", Sector.COMMUNITY, "Montréal", False),
    ("Refuge des jeunes de Montréal", "REFUGE", Sector.OTHER, "Montréal", False),
]

COMMITTEES = [
    (
        "clinique",
        "Comité clinique",
        "Clinical committee",
        "Concertation clinique entre les partenaires du programme.",
    ),
    (
        "directeur",
        "Comité directeur",
        "Steering committee",
        "Orientations, suivi et gouvernance du programme.",
    ),
]


@dataclass(frozen=True)
class DemoAccount:
    local_part: str
    display_name: str
    organization: str
    roles: tuple[str, ...]
    language: str = "fr"
    committees: tuple[tuple[str, str], ...] = ()


ACCOUNTS = [
    DemoAccount(
        "coordinator",
        "Nathalie Coordonnatrice",
        "CCSMTL",
        (Role.COORDINATOR,),
        committees=(("clinique", CommitteeRole.CHAIR), ("directeur", CommitteeRole.SECRETARY)),
    ),
    DemoAccount(
        "intervenant",
        "Karim Intervenant",
        "EM1217",
        (Role.INTERVENANT,),
        committees=(("clinique", CommitteeRole.MEMBER),),
    ),
    DemoAccount(
        "police",
        "Sophie Policière",
        "SPVM",
        (Role.INTERVENANT,),
        committees=(("clinique", CommitteeRole.MEMBER),),
    ),
    DemoAccount(
        "partner",
        "Élodie Partenaire",
        "FMV",
        (Role.PARTNER,),
        committees=(("directeur", CommitteeRole.MEMBER), ("clinique", CommitteeRole.MEMBER)),
    ),
    DemoAccount("requester", "Julie Demandeuse", "ESJM", (Role.REQUESTER,)),
    DemoAccount("researcher", "Robin Researcher", "CCSMTL", (Role.RESEARCHER,), language="en"),
    DemoAccount("admin", "Alex Administrateur", "CCSMTL", (Role.ADMIN,)),
]


def _organization(name, short_name, sector, region, partner) -> Organization:
    organization = db.session.scalar(select(Organization).where(Organization.short_name == short_name))
    if organization is None:
        organization = Organization(
            name=name, short_name=short_name, sector=sector, region=region, is_partner=partner, active=True
        )
        db.session.add(organization)
    return organization


def _committee(code, name_fr, name_en, description) -> Committee:
    committee = db.session.scalar(select(Committee).where(Committee.code == code))
    if committee is None:
        committee = Committee(
            code=code, name_fr=name_fr, name_en=name_en, description=description, active=True
        )
        db.session.add(committee)
    return committee


def seed(password: str | None) -> list[tuple[str, str, bool]]:
    """Create what is missing; with a password, (re)set the demo accounts' password. Returns the accounts."""
    organizations = {row[1]: _organization(*row) for row in ORGANIZATIONS}
    committees = {row[0]: _committee(*row) for row in COMMITTEES}
    db.session.flush()
    password_hash = passwords.hash_password(password) if password else None
    accounts = []
    for account in ACCOUNTS:
        email = f"{account.local_part}@{DEMO_DOMAIN}"
        person = db.session.scalar(select(Person).where(Person.email == email))
        created = person is None
        if created:
            person = Person(
                email=email,
                display_name=account.display_name,
                organization=organizations[account.organization],
                preferred_language=account.language,
                active=True,
            )
            person.role_rows = [PersonRole(role=role) for role in account.roles]
            db.session.add(person)
            db.session.flush()
            for code, role in account.committees:
                db.session.add(
                    CommitteeMembership(committee_id=committees[code].id, person_id=person.id, role=role)
                )
        if password_hash:
            person.password_hash = password_hash
            person.password_changed_at = utcnow()
        accounts.append((email, ", ".join(account.roles), created))
    return accounts


def is_empty() -> bool:
    return db.session.scalar(select(Person.id).limit(1)) is None
