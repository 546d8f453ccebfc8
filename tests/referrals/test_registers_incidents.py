"""The register of confidentiality incidents: record, change (audited), never delete; bad input refused."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from coord import audit
from coord.core.localtime import local_today
from coord.extensions import db
from coord.referrals.models import ConfidentialityIncident
from tests.directory.factories import email_of
from tests.referrals.factories import registers_people
from tests.support import logged_in, post_form, text

NEW = "/registers/incidents/new"


def _form(**changes) -> dict:
    today = local_today()
    data = {
        "data_concerned": "Codes de deux participant·es",
        "circumstances": "Courriel envoyé au mauvais organisme",
        "occurred_on": (today - timedelta(days=3)).isoformat(),
        "discovered_on": (today - timedelta(days=2)).isoformat(),
        "people_count": "2",
        "risk_level": "serious",
        "risk_assessment": "Information sensible",
        "commission_notified_on": "",
        "people_notified_on": "",
        "notices": "",
        "measures": "Rappel aux équipes",
    }
    data.update(changes)
    return data


def _incidents(app) -> list[ConfidentialityIncident]:
    with app.app_context():
        rows = db.session.scalars(sa.select(ConfidentialityIncident)).all()
        db.session.expunge_all()
        return rows


def _actions(app, prefix: str) -> list[audit.AuditEntry]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(audit.AuditEntry)
            .where(audit.AuditEntry.action.startswith(prefix))
            .order_by(audit.AuditEntry.id)
        ).all()
        db.session.expunge_all()
        return rows


def test_record_then_change_an_incident(app, client):
    people = registers_people(app)
    logged_in(client, email_of(app, people["coordinator"]))
    assert client.get(NEW).status_code == 200
    response = post_form(client, NEW, _form(), token_page=NEW)
    assert response.status_code == 302
    [incident] = _incidents(app)
    assert incident.people_count == 2 and incident.risk_level == "serious"
    assert incident.recorded_by_id == people["coordinator"]
    listing = text(client.get("/registers/incidents"))
    assert "avis à donner" in listing  # serious, and no notice date yet
    url = f"/registers/incidents/{incident.ref}"
    page = text(client.get(url))
    assert "Courriel envoyé au mauvais organisme" in page
    today = local_today().isoformat()
    response = post_form(
        client, url, _form(commission_notified_on=today, people_notified_on=today, notices="Avis écrits"),
        token_page=url,
    )  # fmt: skip
    assert response.status_code == 302
    [incident] = _incidents(app)
    assert incident.commission_notified_on == local_today() and incident.notices == "Avis écrits"
    assert "avis à donner" not in text(client.get("/registers/incidents"))
    entries = _actions(app, "incident.")
    assert [e.action for e in entries] == ["incident.record", "incident.change"]
    assert entries[1].detail == "commission_notified_on notices people_notified_on"
    assert all(e.actor_id == people["coordinator"] for e in entries)
    # Saving the same values again changes nothing and writes nothing.
    post_form(
        client, url, _form(commission_notified_on=today, people_notified_on=today, notices="Avis écrits"),
        token_page=url,
    )  # fmt: skip
    assert len(_actions(app, "incident.")) == 2
    # A register keeps its lines: there is no way to delete one.
    assert post_form(client, f"{url}/delete", token_page=url).status_code in (404, 405)
    assert len(_incidents(app)) == 1


def test_bad_incidents_are_refused_with_a_message_and_nothing_written(app, client):
    people = registers_people(app)
    logged_in(client, email_of(app, people["coordinator"]))
    today = local_today()
    cases = [
        (
            _form(occurred_on=today.isoformat(), discovered_on=(today - timedelta(days=1)).isoformat()),
            "ne peut pas avoir été découvert avant",
        ),
        (_form(people_count="-1"), "ne peut pas être négatif"),
        (_form(discovered_on=(today + timedelta(days=1)).isoformat()), "ne peut pas être dans le futur"),
        (_form(people_count="beaucoup"), "nombre entier"),
        (_form(occurred_on="2026-13-45"), ""),
        (_form(data_concerned=""), ""),
        (_form(risk_level="extreme"), ""),
        (_form(commission_notified_on=(today - timedelta(days=30)).isoformat()), "avant l'incident"),
    ]
    for data, message in cases:
        response = post_form(client, NEW, data, token_page=NEW)
        assert response.status_code == 400, data
        assert message in text(response), data
    assert _incidents(app) == []
    assert _actions(app, "incident.") == []
    # Changing an existing line with bad input leaves it as it was.
    assert post_form(client, NEW, _form(), token_page=NEW).status_code == 302
    [incident] = _incidents(app)
    url = f"/registers/incidents/{incident.ref}"
    response = post_form(client, url, _form(people_count="-5", measures="Autre chose"), token_page=url)
    assert response.status_code == 400 and "ne peut pas être négatif" in text(response)
    [unchanged] = _incidents(app)
    assert unchanged.people_count == 2 and unchanged.measures == "Rappel aux équipes"
    assert client.get("/registers/incidents/AAAAAAAAAAAAAAAA").status_code == 404
