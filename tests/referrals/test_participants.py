"""Participants: recording (age, criteria, the code), "Mes participant·es", the page and who reaches it,
change, close and reopen, and the audit of every read."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from coord.core.localtime import local_today
from coord.directory.models import Person
from coord.extensions import db
from coord.referrals import participants as service
from coord.referrals.models import Participant, ReferralState
from tests.referrals.participant_factories import (
    participants_client,
    participants_consent,
    participants_file,
    participants_intake,
    participants_intervenant,
    participants_log,
    participants_partner,
    participants_referral,
)
from tests.support import csrf_token, text

URL_RE = re.compile(r'(?:href|action)="([^"]+)"')


def record(client, **fields):
    data = {"age_at_intake": "15", "recognizes_harms": "y", "voluntary": "y", "gender": "", **fields}
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(
        "/participants/new", data={**data, "csrf_token": csrf_token(client, "/participants/new")}
    )


def count_participants(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Participant.id)))


def urls_in(response) -> list[str]:
    found = URL_RE.findall(response.get_data(as_text=True))
    if response.location:
        found.append(response.location)
    return found


def test_recording_a_participant_gives_a_yearly_code_and_the_holder_sees_it(app):
    holder = participants_intervenant(app)
    client = participants_client(app, holder)
    response = record(client, age_at_intake="15", gender="non_binary", private_note="Vue au CLSC")
    assert response.status_code == 303
    with app.app_context():
        participant = db.session.scalar(sa.select(Participant))
        code, ref, year = participant.code, participant.ref, participant.code_year
        assert participant.intervenant_id == holder
        assert participant.organization_id == db.session.get(Person, holder).organization_id
        assert (participant.age_at_intake, participant.gender) == (15, "non_binary")
    assert code == f"SPH-{year}-0001"
    assert response.location.endswith(f"/participants/{ref}")
    assert code not in response.location
    page = client.get(response.location)
    html = text(page)
    assert page.status_code == 200
    assert code in html and "Vue au CLSC" in html and "Non binaire" in html
    assert 'id="send-referral"' in html  # the holder of an active file may refer
    actions = [entry.action for entry in participants_log(app, participant.id)]
    assert actions == ["participant.create", "participant.read"]


@pytest.mark.parametrize("age", ["11", "25", "-3", "douze"])
def test_an_age_outside_12_to_24_is_refused_beside_the_field_and_nothing_is_written(app, age):
    client = participants_client(app, participants_intervenant(app))
    response = record(client, age_at_intake=age)
    assert response.status_code == 400
    html = text(response)
    error = html.split('id="age_at_intake-error"')[1].split("</ul>")[0]
    assert "L'âge à l'accueil doit être entre 12 et 24 ans." in error
    assert count_participants(app) == 0


def test_both_admission_criteria_are_required(app):
    client = participants_client(app, participants_intervenant(app))
    response = record(client, voluntary=None)
    assert response.status_code == 400
    assert "la participation est volontaire" in text(response)
    assert count_participants(app) == 0


def test_codes_are_numbered_per_year_and_a_concurrent_creation_takes_the_next_number(app, monkeypatch):
    holder = participants_intervenant(app)
    data = service.ParticipantData(None, True, True, age_at_intake=17)
    with app.app_context():
        actor = db.session.get(Person, holder)
        first = service.create_participant(actor, data)
        year = first.code_year
        # Another creation read the same highest number at the same time: its insert clashes, it retries.
        real = service._next_number
        stale = iter([1])
        monkeypatch.setattr(service, "_next_number", lambda y: next(stale, None) or real(y))
        second = service.create_participant(db.session.get(Person, holder), data)
        third = service.create_participant(db.session.get(Person, holder), data)
        assert [first.code, second.code, third.code] == [f"SPH-{year}-{n:04d}" for n in (1, 2, 3)]
        assert db.session.scalar(sa.select(sa.func.count(Participant.id))) == 3


def test_my_participants_lists_my_files_active_first_then_the_ones_referred_to_my_intake(app):
    holder = participants_intervenant(app)
    closed_id, _ = participants_file(app, holder, status="closed", closed_on=local_today())
    active_id, _ = participants_file(app, holder)
    receiving = participants_partner(app)
    intake = participants_intervenant(app, receiving)
    participants_intake(app, receiving, intake)
    covered_id, _ = participants_file(app, participants_intervenant(app))
    with app.app_context():
        covered_org = db.session.get(Participant, covered_id).organization_id
    participants_consent(app, covered_id, [receiving])
    participants_referral(app, covered_id, receiving, ReferralState.ACCEPTED)
    uncovered_id, _ = participants_file(app, participants_intervenant(app))  # accepted, no consent
    participants_referral(app, uncovered_id, receiving, ReferralState.ACCEPTED)
    waiting_id, _ = participants_file(app, participants_intervenant(app))  # covered but still waiting
    participants_consent(app, waiting_id, [receiving])
    participants_referral(app, waiting_id, receiving, ReferralState.SENT)
    with app.app_context():
        codes = {p.id: p.code for p in db.session.scalars(sa.select(Participant))}
    html = text(participants_client(app, holder).get("/participants/"))
    held = html.split('id="held"')[1].split("</ul>")[0]
    assert held.index(codes[active_id]) < held.index(codes[closed_id])
    assert 'id="referred"' not in html
    html = text(participants_client(app, intake).get("/participants/"))
    referred = html.split('id="referred"')[1].split("</ul>")[0]
    assert codes[covered_id] in referred
    assert codes[uncovered_id] not in html and codes[waiting_id] not in html
    assert covered_org != receiving
    listed = participants_log(app, covered_id, "participant.list.read")
    assert [e.action for e in listed] == ["participant.list.read"]


def test_the_empty_list_says_what_to_do(app):
    html = text(participants_client(app, participants_intervenant(app)).get("/participants/"))
    assert 'id="no-participants"' in html and "Inscrire un·e participant·e" in html


def test_the_private_note_is_the_holders_alone(app):
    holder = participants_intervenant(app)
    participant_id, ref = participants_file(app, holder, private_note="Note très privée")
    receiving = participants_partner(app)
    intake = participants_intervenant(app, receiving)
    participants_intake(app, receiving, intake)
    participants_consent(app, participant_id, [receiving])
    participants_referral(app, participant_id, receiving, ReferralState.ACCEPTED)
    assert "Note très privée" in text(participants_client(app, holder).get(f"/participants/{ref}"))
    page = participants_client(app, intake).get(f"/participants/{ref}")
    assert page.status_code == 200
    assert "Note très privée" not in text(page)
    client = participants_client(app, intake)
    assert client.get(f"/participants/{ref}/edit").status_code == 403
    assert client.get(f"/participants/{ref}/access").status_code == 403


def test_a_police_intervenant_without_involvement_gets_403_and_an_audit_entry(app):
    participant_id, ref = participants_file(app, participants_intervenant(app))
    police = participants_intervenant(app, participants_partner(app, sector="police"))
    client = participants_client(app, police)
    for path in ("", "/edit", "/close", "/access", "/consents/new"):
        assert client.get(f"/participants/{ref}{path}").status_code == 403
    denied = participants_log(app, participant_id, "permission.denied")
    assert {e.actor_id for e in denied} == {police}
    assert "referrals.participants.view" in {e.detail for e in denied}
    assert not participants_log(app, participant_id, "participant.read")


@pytest.mark.parametrize("role", ["admin", "researcher"])
def test_the_administrator_and_the_researcher_never_see_a_participant(app, role):
    participant_id, ref = participants_file(app, participants_intervenant(app))
    outsider = participants_intervenant(app, roles=(role,))
    client = participants_client(app, outsider)
    assert client.get(f"/participants/{ref}").status_code == 403
    assert client.get(f"/participants/{ref}/access").status_code == 403
    assert client.get("/participants/").status_code == 403
    assert client.get("/participants/new").status_code == 403
    assert participants_log(app, participant_id, "permission.denied")


def test_change_close_and_reopen(app):
    holder = participants_intervenant(app)
    participant_id, ref = participants_file(app, holder, intake_date=local_today() - timedelta(days=10))
    client = participants_client(app, holder)
    token = csrf_token(client, f"/participants/{ref}/edit")
    response = client.post(
        f"/participants/{ref}/edit",
        data={
            "gender": "girl",
            "recognizes_harms": "y",
            "voluntary": "y",
            "private_note": "Suivi",
            "csrf_token": token,
        },
    )
    assert response.status_code == 303
    token = csrf_token(client, f"/participants/{ref}/close")
    future = (local_today() + timedelta(days=1)).isoformat()
    response = client.post(
        f"/participants/{ref}/close", data={"closed_on": future, "reason": "goals_met", "csrf_token": token}
    )
    assert response.status_code == 400 and "ne peut pas être dans le futur" in text(response)
    before = (local_today() - timedelta(days=11)).isoformat()
    response = client.post(
        f"/participants/{ref}/close", data={"closed_on": before, "reason": "goals_met", "csrf_token": token}
    )
    assert response.status_code == 400
    response = client.post(
        f"/participants/{ref}/close", data={"closed_on": before, "reason": "bogus", "csrf_token": token}
    )
    assert response.status_code == 400
    response = client.post(
        f"/participants/{ref}/close",
        data={"closed_on": local_today().isoformat(), "reason": "participant_choice", "csrf_token": token},
    )
    assert response.status_code == 303
    with app.app_context():
        participant = db.session.get(Participant, participant_id)
        assert (participant.status, participant.closing_reason) == ("closed", "participant_choice")
        assert (participant.gender, participant.private_note) == ("girl", "Suivi")
    response = client.post(f"/participants/{ref}/reopen", data={"csrf_token": token})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Participant, participant_id).status == "active"
    actions = [e.action for e in participants_log(app, participant_id)]
    for action in ("participant.change", "participant.close", "participant.reopen"):
        assert action in actions


def test_the_access_log_shows_who_and_a_refused_attempt(app):
    holder = participants_intervenant(app, display_name="Claire Tremblay")
    participant_id, ref = participants_file(app, holder)
    police = participants_intervenant(app, participants_partner(app, sector="police"), display_name="Agent X")
    assert participants_client(app, police).get(f"/participants/{ref}").status_code == 403
    client = participants_client(app, holder)
    client.get(f"/participants/{ref}")
    response = client.get(f"/participants/{ref}/access")
    assert response.status_code == 200
    rows = text(response).split('id="access-log"')[1].split("</table>")[0].split("<tr")[2:]
    assert "Consultation du journal d'accès" in rows[0] and "Claire Tremblay" in rows[0]
    assert "Consultation du dossier" in rows[1]
    refused = [row for row in rows if "Agent X" in row]
    assert len(refused) == 1 and "Accès refusé" in refused[0] and "Refusé" in refused[0]
    assert participants_log(app, participant_id, "participant.access_log.read")


def test_a_coordinator_reads_the_access_log_but_not_the_file(app):
    participant_id, ref = participants_file(app, participants_intervenant(app))
    coordinator = participants_intervenant(app, roles=("coordinator",))
    client = participants_client(app, coordinator)
    assert client.get(f"/participants/{ref}/access").status_code == 200
    assert client.get(f"/participants/{ref}").status_code == 403


def test_no_page_or_redirect_url_carries_the_participant_code(app):
    holder = participants_intervenant(app)
    partner = participants_partner(app)
    client = participants_client(app, holder)
    response = record(client)
    seen = urls_in(response)
    with app.app_context():
        participant = db.session.scalar(sa.select(Participant))
        code, ref = participant.code, participant.ref
    consent_ref = participants_consent(app, participant.id, [partner])
    for path in (
        "/participants/",
        f"/participants/{ref}",
        f"/participants/{ref}/edit",
        f"/participants/{ref}/close",
        f"/participants/{ref}/access",
        f"/participants/{ref}/consents/new",
        f"/participants/consents/{consent_ref}/withdraw",
    ):
        page = client.get(path)
        assert page.status_code == 200, path
        assert code in text(page), path
        seen += urls_in(page)
    token = csrf_token(client, f"/participants/{ref}")
    seen += urls_in(client.post(f"/participants/consents/{consent_ref}/withdraw", data={"csrf_token": token}))
    assert seen and not [url for url in seen if code in url or str(participant.id) in url.split("/")]


def test_two_creations_at_the_same_moment_get_two_numbers(app, monkeypatch):
    """Two threads read the same highest number, then insert: one wins, the other retries with the next."""
    import threading

    holders = [participants_intervenant(app) for _ in range(2)]
    barrier = threading.Barrier(2, timeout=10)
    real = service._next_number
    first_read = set()

    def next_number(year):
        number = real(year)
        if threading.get_ident() not in first_read:  # the first reads meet before either inserts
            first_read.add(threading.get_ident())
            barrier.wait()
        return number

    monkeypatch.setattr(service, "_next_number", next_number)
    codes, errors = [], []

    def create(person_id):
        try:
            with app.app_context():
                data = service.ParticipantData(None, True, True, age_at_intake=16)
                codes.append(service.create_participant(db.session.get(Person, person_id), data).code)
                db.session.remove()
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=create, args=(holder,)) for holder in holders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert sorted(code[-4:] for code in codes) == ["0001", "0002"]
