"""The access matrix: every demo account (each role and organization, police and researcher included)
against every action on participants, consents, referrals, case conference content and the registers.

The expectations are written out by hand from the demo data (tests/referrals/test_referrals_demo.py says
what it holds): participant 0001 of the demo intervenant (En Marge 12-17) has an active consent naming FMV,
SPVM and CCSMTL for every purpose; referrals of 0001 went to FMV (sent, waiting), SPVM (accepted) and
CCSMTL (closed); the intake people are Élodie (partner, FMV), Sophie (police, SPVM) and Nathalie
(coordinator, CCSMTL); the demo case conference about 0001 is organized by the intervenant, with the
police officer, the coordinator and Élodie invited. A deny answers 403 or 404 and writes an audit entry
naming the actor; an allow answers 200 (pages) or a redirect after the change (forms).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from coord import audit
from coord.conferences.models import CaseConference
from coord.demo import seed_demo
from coord.directory.models import Organization, Person
from coord.extensions import db
from coord.referrals.models import Consent, Participant, Referral, ReferralState
from tests.support import PASSWORD, csrf_token, logged_in

ACTORS = ("coordinator", "intervenant", "police", "partner", "requester", "researcher", "admin")
ALL = set(ACTORS)
DEMO_NOTE = "Note fictive de démonstration."  # every demo referral's confidential note


@dataclass(frozen=True)
class Refs:
    participant: str
    consent: str
    sent: str  # 0001 -> FMV, waiting
    accepted: str  # 0001 -> SPVM
    closed: str  # 0001 -> CCSMTL
    to_withdraw: str  # 0002 -> FMV, waiting
    conference: int
    record: int  # the conference's agenda-and-minutes record (a hosted meeting)


def _referral(participant_id: int, short_name: str, state: str) -> str:
    return db.session.scalar(
        sa.select(Referral.ref)
        .join(Organization, Organization.id == Referral.to_organization_id)
        .where(
            Referral.participant_id == participant_id,
            Organization.short_name == short_name,
            Referral.state == state,
        )
    )


@pytest.fixture
def world(app):
    with app.app_context():
        seed_demo(list(app.extensions["coord_modules"]), PASSWORD)
        first = db.session.scalar(sa.select(Participant).where(Participant.code.like("SPH-%-0001")))
        second = db.session.scalar(sa.select(Participant).where(Participant.code.like("SPH-%-0002")))
        consent = db.session.scalar(
            sa.select(Consent).where(Consent.participant_id == first.id, Consent.withdrawn_at.is_(None))
        )
        conference = db.session.scalar(
            sa.select(CaseConference).where(CaseConference.participant_id == first.id)
        )
        refs = Refs(
            participant=first.ref,
            consent=consent.ref,
            sent=_referral(first.id, "FMV", ReferralState.SENT),
            accepted=_referral(first.id, "SPVM", ReferralState.ACCEPTED),
            closed=_referral(first.id, "CCSMTL", ReferralState.CLOSED),
            to_withdraw=_referral(second.id, "FMV", ReferralState.SENT),
            conference=conference.id,
            record=conference.record_id,
        )
        people = {
            name: db.session.scalar(sa.select(Person.id).where(Person.email == f"{name}@demo.coord.test"))
            for name in ACTORS
        }
    assert all(vars(refs).values()), refs
    clients = {name: logged_in(app.test_client(), f"{name}@demo.coord.test") for name in ACTORS}
    return refs, people, clients


def _denials(app, person_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count(audit.AuditEntry.id)).where(
                audit.AuditEntry.actor_id == person_id, audit.AuditEntry.outcome == audit.Outcome.DENIED
            )
        )


INVITED = {"intervenant", "police", "coordinator", "partner"}  # the demo conference's people

# (label, path from the refs, allowed actors); GET pages.
PAGES = [
    ("participants: my list", lambda r: "/participants/", INVITED),
    ("participants: record form", lambda r: "/participants/new", {"coordinator", "intervenant", "police"}),
    ("participant: file", lambda r: f"/participants/{r.participant}", {"intervenant", "police"}),
    ("participant: change form", lambda r: f"/participants/{r.participant}/edit", {"intervenant"}),
    ("participant: close form", lambda r: f"/participants/{r.participant}/close", {"intervenant"}),
    ("participant: access log", lambda r: f"/participants/{r.participant}/access",
     {"intervenant", "coordinator"}),
    ("consent: record form", lambda r: f"/participants/{r.participant}/consents/new", {"intervenant"}),
    ("consent: withdraw page", lambda r: f"/participants/consents/{r.consent}/withdraw", {"intervenant"}),
    ("referral: send form", lambda r: f"/referrals/new/{r.participant}", {"intervenant"}),
    ("referral waiting (FMV)", lambda r: f"/referrals/{r.sent}", {"intervenant", "partner"}),
    ("referral accepted (SPVM)", lambda r: f"/referrals/{r.accepted}", {"intervenant", "police"}),
    ("referral closed (CCSMTL)", lambda r: f"/referrals/{r.closed}", {"intervenant"}),
    ("referral: withdraw page", lambda r: f"/referrals/{r.to_withdraw}/withdraw", {"intervenant"}),
    ("referral board", lambda r: "/referrals/board", {"coordinator"}),
    ("intake people", lambda r: "/referrals/intake", {"coordinator"}),
    ("conference page", lambda r: f"/conferences/{r.conference}", INVITED),
    ("conference: change form", lambda r: f"/conferences/{r.conference}/edit", {"intervenant"}),
    ("conference agenda", lambda r: f"/meetings/{r.record}/agenda", INVITED),
    ("conference minutes", lambda r: f"/meetings/{r.record}/minutes", INVITED),
    ("conference agenda PDF", lambda r: f"/meetings/{r.record}/agenda.pdf", INVITED),
    ("register of disclosures", lambda r: "/registers/disclosures", {"coordinator"}),
    ("register of incidents", lambda r: "/registers/incidents", {"coordinator"}),
]  # fmt: skip

# (label, path, form, allowed actor): POSTs; every other actor tries first and is refused, then the allowed
# one succeeds (a redirect) — so the refusals are tried while the change would still be possible.
CHANGES = [
    ("accept the waiting referral", lambda r: f"/referrals/{r.sent}/accept", {}, "partner"),
    ("close the accepted referral", lambda r: f"/referrals/{r.accepted}/close",
     {"outcome": "services_given", "feedback": "Suivi terminé."}, "police"),
    ("withdraw a referral", lambda r: f"/referrals/{r.to_withdraw}/withdraw", {}, "intervenant"),
    ("withdraw the consent", lambda r: f"/participants/consents/{r.consent}/withdraw", {}, "intervenant"),
]  # fmt: skip


def test_every_account_against_every_page(app, world):
    refs, people, clients = world
    unexpected = []
    for label, path_of, allowed in PAGES:
        path = path_of(refs)
        for actor in ACTORS:
            before = _denials(app, people[actor])
            response = clients[actor].get(path)
            denied_audited = _denials(app, people[actor]) > before
            if actor in allowed:
                ok = response.status_code == 200
            else:
                ok = response.status_code in (403, 404) and denied_audited
            if not ok:
                unexpected.append(f"{label}: {actor} got {response.status_code} (audited={denied_audited})")
    assert unexpected == [], "\n".join(unexpected)


def test_a_summary_is_all_the_waiting_intake_sees(app, world):
    refs, _people, clients = world
    summary = clients["partner"].get(f"/referrals/{refs.sent}").get_data(as_text=True)
    whole = clients["intervenant"].get(f"/referrals/{refs.sent}").get_data(as_text=True)
    assert DEMO_NOTE in whole and DEMO_NOTE not in summary


def test_every_account_against_every_change(app, world):
    refs, people, clients = world
    unexpected = []
    for label, path_of, form, allowed in CHANGES:
        path = path_of(refs)
        for actor in [a for a in ACTORS if a != allowed] + [allowed]:
            client = clients[actor]
            before = _denials(app, people[actor])
            response = client.post(path, data={**form, "csrf_token": csrf_token(client, "/")})
            denied_audited = _denials(app, people[actor]) > before
            if actor == allowed:
                ok = response.status_code in (302, 303)
            else:
                ok = response.status_code in (403, 404) and denied_audited
            if not ok:
                unexpected.append(f"{label}: {actor} got {response.status_code} (audited={denied_audited})")
    assert unexpected == [], "\n".join(unexpected)
    # The consent is withdrawn: the police officer's accepted referral is closed, and the file, the waiting
    # referral (now accepted by FMV) and the conference are out of reach for every other organization.
    for actor, path in [
        ("partner", f"/referrals/{refs.sent}"),
        ("partner", f"/conferences/{refs.conference}"),
        ("police", f"/conferences/{refs.conference}"),
        ("police", f"/meetings/{refs.record}/minutes"),
        ("coordinator", f"/conferences/{refs.conference}"),
    ]:
        assert clients[actor].get(path).status_code in (403, 404), (actor, path)
    assert clients["intervenant"].get(f"/conferences/{refs.conference}").status_code == 200
