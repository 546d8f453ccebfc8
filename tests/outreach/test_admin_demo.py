"""The outreach demo: presenters with availability, requests in every state, held sessions over the past
year, never two sessions of a presenter within the travel time nor over their other commitments; the
coordinator's pages render it, accessibly, on an empty database seeded by `flask seed-demo`."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import sqlalchemy as sa

from coord.calendar.freebusy import conflicts
from coord.core.localtime import utcnow
from coord.demo import seed_demo
from coord.extensions import db
from coord.modules import MODULES
from coord.outreach.booking import week_bounds
from coord.outreach.models import REGIONS, Assignment, OutreachRequest, Presenter, RequestState
from coord.outreach.samples import route_samples
from tests.support import csrf_token, logged_in, text

PASSWORD = "demo-sphères-2026"


def _seeded(app) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo", "--if-empty", "--password", PASSWORD])
    assert result.exit_code == 0, result.output


def test_the_demo_has_every_state_and_believable_sessions(app):
    _seeded(app)
    with app.app_context():
        seed_demo(MODULES, None)  # twice: nothing more
        presenters = db.session.scalars(sa.select(Presenter)).unique().all()
        assert len(presenters) == 3 and all(p.windows and p.active for p in presenters)
        requests = db.session.scalars(sa.select(OutreachRequest)).all()
        states = Counter(r.state for r in requests)
        assert set(states) == set(RequestState) and states[RequestState.HELD] >= 6
        assert all(r.region in REGIONS for r in requests)
        assert {"06", "13", "16"} <= {r.region for r in requests}
        assert Counter(r.region for r in requests).most_common(1)[0][0] == "06"
        now = utcnow()
        held = [r for r in requests if r.state == RequestState.HELD]
        assert all(r.starts_at < now and r.people_reached and r.outcome_notes for r in held)
        assert min(r.starts_at for r in held) < now - timedelta(days=240)
        assert any(r.wants_training for r in held) and any(r.questions_to_route for r in held)
        confirmed = [r for r in requests if r.state == RequestState.CONFIRMED]
        assert sum(r.starts_at > now for r in confirmed) >= 3 and any(r.starts_at < now for r in confirmed)
        assert any(r.reschedule_asked for r in confirmed) and any(len(r.presenters) == 2 for r in requests)
        waiting = [r for r in requests if r.state == RequestState.REQUESTED]
        assert any(r.windows for r in waiting) and any(r.starts_at for r in waiting)
        assert all(len(r.windows) <= 3 for r in requests)
        assert all(r.history and r.history[0].kind == "requested" for r in requests)
        assert all(r.decline_reason for r in requests if r.state == RequestState.DECLINED)
        assert {r.cancelled_by for r in requests if r.state == RequestState.CANCELLED} == {
            "requester",
            "program",
        }
        # Every session is in its presenter's own calendar time: never two within the travel time, never
        # over their other coord commitments, never more than the weekly maximum.
        active = db.session.scalars(
            sa.select(Assignment).where(Assignment.active.is_(True)).order_by(Assignment.busy_from)
        ).all()
        by_presenter: dict[int, list[Assignment]] = {}
        for assignment in active:
            by_presenter.setdefault(assignment.presenter_id, []).append(assignment)
        for rows in by_presenter.values():
            for before, after in zip(rows, rows[1:], strict=False):
                assert before.busy_until <= after.busy_from
            weeks = Counter(week_bounds(a.request.starts_at)[0] for a in rows)
            assert max(weeks.values()) <= 3
        for assignment in active:
            found = conflicts(assignment.presenter.person_id, assignment.busy_from, assignment.busy_until)
            assert not [b for b in found if not b.uid.startswith("outreach-")], (
                assignment.request.organization_name
            )
        samples = route_samples()
        assert (
            samples["presenter_id"]
            and samples["window_id"]
            and len(samples["ref"]) == 16
            and samples["token"]
        )


def test_the_coordinator_pages_render_the_demo(app):
    _seeded(app)
    with app.app_context():
        presenter_ids = db.session.scalars(sa.select(Presenter.id)).all()
    coordinator = logged_in(app.test_client(), "coordinator@demo.coord.test", PASSWORD)
    pages = [f"/outreach/requests?state={state}" for state in RequestState] + [
        "/outreach/presenters",
        "/outreach/settings",
        *(f"/outreach/presenters/{presenter_id}" for presenter_id in presenter_ids),
    ]
    for url in pages:
        response = coordinator.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
        html = text(response)
        assert '<a class="skip-link" href="#main">' in html, url
        assert not re.search(r"<script(?![^>]*\ssrc=)", html), url
        assert " style=" not in html, url
        for field_id in re.findall(r'<(?:input|select|textarea)[^>]*\sid="([^"]+)"', html):
            tag = re.search(
                r'<(?:input|select|textarea)[^>]*\sid="' + re.escape(field_id) + '"[^>]*>', html
            ).group(0)
            if 'type="hidden"' in tag:
                continue
            wrapped = re.search(r"<label[^>]*>[^<]*" + re.escape(tag), html)
            assert f'for="{field_id}"' in html or wrapped or "aria-label" in tag, f"{field_id} on {url}"
    requested = text(coordinator.get("/outreach/requests"))
    assert "Maison des jeunes de Sainte-Rose" in requested and "heure offerte choisie" in requested
    confirmed = text(coordinator.get("/outreach/requests?state=confirmed"))
    assert "Bilan à consigner" in confirmed and "Autre date demandée" in confirmed
    assert re.search(r"\d{1,2}\u00a0h", confirmed) and not re.search(r"\b\d{2}:\d{2}\b", confirmed)
    held = text(coordinator.get("/outreach/requests?state=held"))
    assert "112 personnes jointes" in held
    laval = text(coordinator.get("/outreach/requests?state=held&region=13"))
    assert "Curé-Antoine-Labelle" in laval and "Jeanne-Mance" not in laval
    karim = text(coordinator.get(f"/outreach/presenters/{presenter_ids[0]}"))
    assert "Karim Intervenant" in karim and "Mardi" in karim and "9\u00a0h à 12\u00a0h" in karim
    # English, for a coordinator who reads it.
    english = logged_in(app.test_client(), "coordinator@demo.coord.test", PASSWORD)
    english.post("/language", data={"lang": "en", "next": "/", "csrf_token": csrf_token(english, "/")})
    page = text(english.get("/outreach/requests?state=confirmed"))
    assert "Awareness sessions" in page and "Outcome to record" in page
    assert re.search(r"\d{1,2}:\d{2}\u00a0[ap]\.m\.", page)


def test_demo_seeds_nothing_without_the_directory_accounts(app):
    """An empty directory (only the settings): no presenter, no request, no error."""
    from coord.outreach import demo

    with app.app_context():
        demo.seed(None)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutreachRequest)) == 0
        db.session.rollback()
