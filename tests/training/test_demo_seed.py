"""The training demo: a year of believable sessions after the other modules' seeds, on both backends."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from coord.calendar.freebusy import busy_times
from coord.calendar.sources import Window
from coord.core.localtime import to_local, utcnow
from coord.demo import seed_demo
from coord.directory.models import Person
from coord.extensions import db
from coord.modules import MODULES
from coord.training import links
from coord.training.catalogue import MODULE_CODES
from coord.training.models import (
    HOLDING,
    Attendance,
    Registration,
    RegistrationStatus,
    RequestStatus,
    SessionStatus,
    TrainingRequest,
    TrainingSession,
)
from coord.training.samples import route_samples
from tests.calendar.independent_parsers import all_readers_agree


def _sessions() -> list[TrainingSession]:
    return list(db.session.scalars(sa.select(TrainingSession).order_by(TrainingSession.starts_at)))


def _holding(session: TrainingSession) -> int:
    return sum(r.status in HOLDING for r in session.registrations)


def _waiting(session: TrainingSession) -> list[Registration]:
    rows = [r for r in session.registrations if r.status == RegistrationStatus.WAITING]
    return sorted(rows, key=lambda r: r.queue_number)


def test_seed_after_the_others_gives_a_consistent_year(app):
    with app.app_context():
        seed_demo(list(MODULES), "pw")
        now = utcnow()
        sessions = _sessions()
        assert {s.module.code for s in sessions} >= set(MODULE_CODES)
        assert min(s.starts_at for s in sessions) < now - timedelta(days=150)
        assert max(s.starts_at for s in sessions) > now + timedelta(days=150)
        for session in sessions:
            assert _holding(session) <= session.capacity, session.module.code
            assert (session.starts_at, session.ends_at) == (
                session.parts[0].starts_at,
                session.parts[-1].ends_at,
            )
            days = [to_local(p.starts_at).date() for p in session.parts]
            assert days == [days[0] + timedelta(days=n) for n in range(len(days))]
            for part in session.parts:
                start, end = to_local(part.starts_at), to_local(part.ends_at)
                assert start.weekday() < 5 and time(9) <= start.time() and end.time() <= time(16, 30)
            queued = [r.queue_number for r in session.registrations if r.queue_number is not None]
            assert len(queued) == len(set(queued)) and all(0 < n < session.next_queue_number for n in queued)
            if session.per_organization_limit:
                keys = Counter(r.organization_key for r in session.registrations if r.status in HOLDING)
                assert max(keys.values()) <= session.per_organization_limit
            if session.ends_at < now and session.status != SessionStatus.CANCELLED:
                seated = [r for r in session.registrations if r.status == RegistrationStatus.REGISTERED]
                marks = Counter(r.attendance for r in seated)
                assert None not in marks and marks[Attendance.PRESENT] > len(seated) / 2
                assert marks[Attendance.ABSENT] + marks[Attendance.PARTIAL] >= 1
                for row in seated:
                    has_code = row.attestation_code is not None
                    assert has_code == (row.attendance == Attendance.PRESENT)
                    assert not has_code or len(row.attestation_code.replace("-", "")) == 14
            if session.status == SessionStatus.CANCELLED:
                assert session.cancel_reason and all(
                    r.status == RegistrationStatus.CANCELLED for r in session.registrations
                )

        ahead = [s for s in sessions if s.starts_at > now]
        full = [s for s in ahead if _holding(s) == s.capacity and _waiting(s)]
        assert len(full) >= 2
        offered = db.session.scalars(
            sa.select(Registration).where(Registration.status == RegistrationStatus.OFFERED)
        ).all()
        assert len(offered) == 2  # a fictitious person's, and the demo partner's
        for offer in offered:
            left = offer.offer_expires_at - now
            assert timedelta(hours=29) < left <= timedelta(hours=30)
            assert offer.offer_expires_at < offer.session.starts_at
            assert offer.queue_number < min(r.queue_number for r in _waiting(offer.session))
        confirmed = [s for s in ahead if s.status == SessionStatus.CONFIRMED]
        assert any(s.is_open_to_outside and _holding(s) < s.capacity for s in confirmed)
        assert any(s.status == SessionStatus.PLANNED and not s.trainers for s in ahead)
        assert any(not s.is_open_to_outside for s in ahead) and any(s.is_open_to_outside for s in ahead)
        assert any(s.video_url for s in sessions) and any(s.place for s in sessions)
        trainers = {t.email for s in sessions for t in s.trainers}
        assert {"intervenant@demo.coord.test", "partner@demo.coord.test"} <= trainers
        coordinator = db.session.scalar(
            sa.select(Person).where(Person.email == "coordinator@demo.coord.test")
        )
        assert any(
            r.person_id == coordinator.id and r.status == RegistrationStatus.REGISTERED
            for s in ahead
            for r in s.registrations
        )
        outside = [r for s in sessions for r in s.registrations if r.organization_key.startswith("name:")]
        assert outside and all(r.email.endswith("@example.org") and r.name for r in outside)
        assert "name:école secondaire jeanne-mance" in {r.organization_key for r in outside}

        requests = Counter(db.session.scalars(sa.select(TrainingRequest.status)))
        assert requests == {RequestStatus.OPEN: 2, RequestStatus.SCHEDULED: 1, RequestStatus.DECLINED: 1}
        declined = db.session.scalar(
            sa.select(TrainingRequest).where(TrainingRequest.status == RequestStatus.DECLINED)
        )
        assert declined.decline_reason
        scheduled = db.session.scalar(
            sa.select(TrainingSession).where(TrainingSession.request_id.is_not(None))
        )
        assert scheduled.request.status == RequestStatus.SCHEDULED and scheduled.starts_at > now
        db.session.commit()


def test_no_trainer_is_busy_twice(app):
    with app.app_context():
        seed_demo(list(MODULES), "pw")
        window = Window(utcnow() - timedelta(days=400), utcnow() + timedelta(days=400))
        trainers = {t.id for s in _sessions() if s.status != SessionStatus.CANCELLED for t in s.trainers}
        assert len(trainers) >= 2
        for person_id in trainers:
            busy = busy_times(person_id, window)
            assert any(b.kind == "training" for b in busy)
            for first, second in zip(busy, busy[1:], strict=False):
                if "training" in (first.kind, second.kind):
                    assert first.end <= second.start, (first, second)


def test_seeding_twice_adds_nothing_and_samples_are_real(app):
    with app.app_context():
        seed_demo(list(MODULES), "pw")
        counts = (
            db.session.scalar(sa.select(sa.func.count(TrainingSession.id))),
            db.session.scalar(sa.select(sa.func.count(Registration.id))),
        )
        seed_demo(list(MODULES), None)
        assert counts == (
            db.session.scalar(sa.select(sa.func.count(TrainingSession.id))),
            db.session.scalar(sa.select(sa.func.count(Registration.id))),
        )
        samples = route_samples()
        session = db.session.scalar(
            sa.select(TrainingSession).where(TrainingSession.ref == samples["session_ref"])
        )
        assert session.is_open_to_outside and session.starts_at > utcnow()
        assert session.status == SessionStatus.CONFIRMED
        assert links.read(samples["verify_token"], "verify").status == RegistrationStatus.UNVERIFIED
        assert links.read(samples["follow_token"], "follow").ref == samples["registration_ref"]
        assert links.read(samples["claim_token"], "claim").status == RegistrationStatus.OFFERED
        assert links.read(samples["claim_token"], "follow") is None
        request = db.session.scalar(
            sa.select(TrainingRequest).where(TrainingRequest.ref == samples["request_ref"])
        )
        assert request.status == RequestStatus.OPEN and samples["module_code"] == "mi-initial"


def test_seed_demo_command_then_the_public_feed_parses(app, client):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--password", "demo-sphères-2026"])
    assert result.exit_code == 0, result.output
    response = client.get("/feeds/public/training.ics")
    assert response.status_code == 200
    body = response.data.decode()
    start, end = datetime.now(UTC) - timedelta(days=200), datetime.now(UTC) + timedelta(days=200)
    instances = all_readers_agree(body, start, end)
    summaries = {i["summary"] for i in instances}
    assert any("entretien motivationnel" in s.lower() for s in summaries), summaries
    assert any("partie 2 de 2" in s for s in summaries)
    assert "example.org" not in body.replace("visio.example.org", "") and "Tremblay" not in body
