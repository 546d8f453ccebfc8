"""The booking rules: bounds, the horizon beyond the notice, defaults shown, only the coordinator."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coord.audit import AuditEntry
from coord.extensions import db
from coord.outreach.models import OutreachSettings
from tests.outreach.factories_admin import client_as
from tests.support import post_form, text

VALID = {
    "minimum_notice_days": "14",
    "buffer_minutes": "45",
    "max_per_week": "2",
    "horizon_days": "180",
    "session_minutes": "75",
}


def _saved(app) -> dict | None:
    with app.app_context():
        row = db.session.get(OutreachSettings, 1)
        if row is None:
            return None
        return {name: getattr(row, name) for name in VALID}


def test_defaults_are_shown_and_changes_saved(app):
    coordinator = client_as(app)
    page = text(coordinator.get("/outreach/settings"))
    assert 'name="minimum_notice_days"' in page and 'value="10"' in page and 'value="60"' in page
    assert "Par défaut\u00a0: 10." in page
    assert _saved(app) is None  # reading the page writes nothing
    response = post_form(coordinator, "/outreach/settings", VALID, token_page="/outreach/settings")
    assert response.status_code == 302
    assert _saved(app) == {name: int(value) for name, value in VALID.items()}
    assert "Les règles sont enregistrées." in text(coordinator.get("/outreach/settings"))
    with app.app_context():
        entry = db.session.scalar(
            sa.select(AuditEntry).where(AuditEntry.action == "outreach.settings.update")
        )
        assert "minimum_notice_days=14" in entry.detail
    # The same values again: nothing changes, nothing is audited twice.
    post_form(coordinator, "/outreach/settings", VALID, token_page="/outreach/settings")
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count()).where(AuditEntry.action == "outreach.settings.update")
            )
            == 1
        )


def test_zero_notice_and_zero_buffer_are_allowed(app):
    coordinator = client_as(app)
    data = {**VALID, "minimum_notice_days": "0", "buffer_minutes": "0"}
    assert post_form(coordinator, "/outreach/settings", data).status_code == 302
    assert _saved(app)["minimum_notice_days"] == 0 and _saved(app)["buffer_minutes"] == 0


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("minimum_notice_days", "-1", "préavis minimal de 0 à 365 jours"),
        ("minimum_notice_days", "366", "préavis minimal de 0 à 365 jours"),
        ("buffer_minutes", "481", "temps de déplacement de 0 à 480 minutes"),
        ("max_per_week", "0", "maximum hebdomadaire de 1 à 20 séances"),
        ("horizon_days", "6", "horizon de réservation de 7 à 730 jours"),
        ("session_minutes", "29", "durée de séance de 30 à 480 minutes"),
        ("session_minutes", "abc", "Indiquez un nombre entier."),
        ("session_minutes", "9" * 400, "Indiquez un nombre entier."),
        ("horizon_days", "", "Ce champ est obligatoire."),
        ("horizon_days", "14", "L'horizon doit dépasser le préavis minimal (14\u00a0jours)"),
    ],
)
def test_bad_values_get_a_message_and_change_nothing(app, name, value, message):
    coordinator = client_as(app)
    response = post_form(coordinator, "/outreach/settings", {**VALID, name: value})
    assert response.status_code == 400
    assert message in text(response)
    assert _saved(app) is None


def test_english_messages(app):
    coordinator = client_as(app, preferred_language="en")
    response = post_form(coordinator, "/outreach/settings", {**VALID, "max_per_week": "21"})
    assert "Give a weekly maximum between 1 and 20 sessions." in text(response)


@pytest.mark.parametrize(
    "roles", [("partner",), ("requester",), ("researcher",), ("intervenant",), ("admin",)]
)
def test_only_the_coordinator_sets_the_rules(app, roles):
    client = client_as(app, roles=roles)
    assert client.get("/outreach/settings").status_code == 403
    assert post_form(client, "/outreach/settings", VALID).status_code == 403
    assert _saved(app) is None
