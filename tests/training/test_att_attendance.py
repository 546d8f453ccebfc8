"""The registrant list and attendance: who sees it, what it shows, marking (one commit, audited), its query
count, and the attestation code made when someone is marked present."""

from __future__ import annotations

import sqlalchemy as sa

from coord.audit import AuditEntry
from coord.extensions import db
from coord.training import attestations
from tests.support import counted_queries, logged_in, post_form, text
from tests.training.factories_att import (
    coordinator,
    make_person,
    make_session,
    register,
    registration,
)


def _email(app, person_id):
    from coord.directory.models import Person

    with app.app_context():
        return db.session.get(Person, person_id).email


def _setup(app, days=-1, seats=3, waiting=2):
    trainer = make_person(app, roles=("intervenant",))
    ref = make_session(app, days=days, capacity=seats, trainer_ids=[trainer])
    people = [make_person(app, display_name=f"Inscrite {n}") for n in range(seats)]
    seated = [register(app, ref, person_id) for person_id in people]
    queued = [register(app, ref, status="waiting", name=f"Attente {n}") for n in range(waiting)]
    return trainer, ref, seated, queued


def test_the_trainer_sees_seats_and_the_waiting_list_in_order(app, client):
    trainer, ref, seated, queued = _setup(app)
    register(app, ref, status="cancelled", name="Partie Ailleurs")
    logged_in(client, _email(app, trainer))
    page = text(client.get(f"/training/sessions/{ref}/registrants"))
    assert "Inscrite 0" in page and "Inscrite 2" in page
    assert page.index("Attente 0") < page.index("Attente 1")
    assert '<li value="1">Attente 0' in page and '<li value="2">Attente 1' in page
    assert '<details id="gone">' in page and "Partie Ailleurs" in page
    assert "register-someone" not in page  # the coordinator's links only


def test_others_are_refused_and_the_coordinator_gets_links(app, client):
    _trainer, ref, seated, _queued = _setup(app)
    other = make_person(app, roles=("intervenant",))
    logged_in(client, _email(app, other))
    assert client.get(f"/training/sessions/{ref}/registrants").status_code == 403
    assert post_form(client, f"/training/sessions/{ref}/registrants", {}).status_code == 403
    boss = app.test_client()
    logged_in(boss, _email(app, coordinator(app)))
    page = text(boss.get(f"/training/sessions/{ref}/registrants"))
    assert f"/training/sessions/{ref}/register-someone" in page
    assert f"/training/registrations/{seated[0]}/cancel" not in page  # begun: the service refuses it
    csv = boss.get(f"/training/sessions/{ref}/registrants.csv")
    exported = csv.get_data(as_text=True)
    assert csv.status_code == 200 and "Inscrite 0" in exported
    header = exported.lstrip("\ufeff").splitlines()[0]
    assert header.startswith("Nom,") and "Liste d'attente" in exported and "waiting" not in exported
    assert client.get(f"/training/sessions/{ref}/registrants.csv").status_code == 403


def test_marking_is_one_commit_audited_and_makes_codes(app, client):
    trainer, ref, seated, queued = _setup(app)
    logged_in(client, _email(app, trainer))
    marks = {
        f"attendance-{seated[0]}": "present",
        f"attendance-{seated[1]}": "partial",
        f"attendance-{seated[2]}": "",
    }
    response = post_form(client, f"/training/sessions/{ref}/registrants", marks)
    assert response.status_code == 303
    with app.app_context():
        first, second, third = (registration(r) for r in seated)
        assert (first.attendance, second.attendance, third.attendance) == ("present", "partial", None)
        assert attestations.normalized(first.attestation_code) == first.attestation_code
        assert second.attestation_code is None
        entries = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "training.attendance.mark")
        ).all()
        assert len(entries) == 2
        code = first.attestation_code
    # the same marks again change nothing; a change later is audited and keeps the code
    post_form(client, f"/training/sessions/{ref}/registrants", marks)
    post_form(client, f"/training/sessions/{ref}/registrants", {f"attendance-{seated[0]}": "absent"})
    with app.app_context():
        assert registration(seated[0]).attendance == "absent"
        assert registration(seated[0]).attestation_code == code
        count = db.session.scalar(
            sa.select(sa.func.count()).where(AuditEntry.action == "training.attendance.mark")
        )
        assert count == 3


def test_marking_before_the_start_or_a_waiting_person_is_refused(app, client):
    trainer, ref, seated, queued = _setup(app, days=3)
    logged_in(client, _email(app, trainer))
    page = text(client.get(f"/training/sessions/{ref}/registrants"))
    assert "à partir du début" in page or "from the start" in page
    response = post_form(
        client, f"/training/sessions/{ref}/registrants", {f"attendance-{seated[0]}": "present"}
    )
    assert response.status_code == 400
    trainer2, ref2, seated2, queued2 = _setup(app)
    client = logged_in(app.test_client(), _email(app, trainer2))
    for bad in ({f"attendance-{queued2[0]}": "present"}, {f"attendance-{seated2[0]}": "bogus"}):
        response = post_form(
            client, f"/training/sessions/{ref2}/registrants", {f"attendance-{seated2[1]}": "present", **bad}
        )
        assert response.status_code == 400
    with app.app_context():
        assert registration(seated2[1]).attendance is None  # nothing half-written
        assert registration(seated[0]).attendance is None


def _queries(app, client, ref) -> int:
    with counted_queries(app) as statements:
        assert client.get(f"/training/sessions/{ref}/registrants").status_code == 200
    return len(statements)


def test_the_query_count_does_not_grow_with_registrations(app, client):
    trainer = make_person(app, roles=("intervenant",))
    small = make_session(app, capacity=3, trainer_ids=[trainer])
    large = make_session(app, capacity=40, trainer_ids=[trainer])
    for ref, seats, waiting, outside in ((small, 2, 1, 0), (large, 30, 20, 10)):
        for _ in range(seats):
            register(app, ref, make_person(app))
        for _ in range(outside):
            register(app, ref)
        for _ in range(waiting):
            register(app, ref, status="waiting")
    logged_in(client, _email(app, trainer))
    _queries(app, client, small)  # warm
    assert _queries(app, client, small) == _queries(app, client, large)
