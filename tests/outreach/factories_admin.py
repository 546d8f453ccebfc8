"""Factories for the coordinator's outreach pages: partner people, presenters with windows, requests."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from coord.core.localtime import LOCAL_TZ, local_today
from coord.extensions import db
from coord.outreach.models import Assignment, AvailabilityWindow, OutreachRequest, PreferredWindow, Presenter
from tests.directory.factories import email_of, make_organization, make_person
from tests.support import logged_in

_counter = iter(range(1, 10**9))


def partner_person(app, roles=("intervenant",), **values) -> int:
    """A person of a partner organization of the program (who may be published as a presenter)."""
    organization_id = values.pop("organization_id", None) or make_organization(app, is_partner=True)
    return make_person(app, roles=roles, organization_id=organization_id, **values)


def make_presenter(app, person_id: int | None = None, windows=(), languages: str = "fr", active=True) -> int:
    """A presenter with weekly windows given as (weekday, "9:00", "12:00")."""
    person_id = person_id or partner_person(app)
    with app.app_context():
        presenter = Presenter(person_id=person_id, languages=languages, active=active)
        presenter.windows = [
            AvailabilityWindow(weekday=day, starts=_time(starts), ends=_time(ends))
            for day, starts, ends in windows
        ]
        db.session.add(presenter)
        db.session.commit()
        return presenter.id


def _time(value: str) -> time:
    hour, minute = value.split(":")
    return time(int(hour), int(minute))


def local(days: int, hour: int = 10, minute: int = 0) -> datetime:
    """A Montréal moment `days` days from today."""
    return datetime.combine(local_today() + timedelta(days=days), time(hour, minute), tzinfo=LOCAL_TZ)


def make_request(app, **values) -> int:
    """A request (requested, with one preferred window, unless told otherwise)."""
    n = next(_counter)
    presenter_ids = values.pop("presenter_ids", ())
    with app.app_context():
        request = OutreachRequest(
            state=values.get("state", "requested"),
            organization_name=values.get("organization_name", f"École secondaire numéro {n}"),
            milieu=values.get("milieu", "school"),
            region=values.get("region", "06"),
            contact_name=values.get("contact_name", f"Contact {n}"),
            contact_email=values.get("contact_email", f"contact{n}@ecole.example"),
            audiences=values.get("audiences", "youth"),
            expected_size=values.get("expected_size", 30),
            format=values.get("format", "in_person"),
            address=values.get("address", "1, rue de l'École, Montréal"),
            language=values.get("language", "fr"),
            starts_at=values.get("starts_at"),
            ends_at=values.get("ends_at"),
            reschedule_asked=values.get("reschedule_asked", False),
        )
        if "created_at" in values:
            request.created_at = values["created_at"]
        if request.starts_at is None and values.get("windows", True):
            request.windows = [PreferredWindow(starts_at=local(20, 13), ends_at=local(20, 15))]
        for presenter_id in presenter_ids:
            request.assignments.append(
                Assignment(
                    presenter_id=presenter_id,
                    busy_from=request.starts_at - timedelta(hours=1),
                    busy_until=request.ends_at + timedelta(hours=1),
                )
            )
        db.session.add(request)
        db.session.commit()
        return request.id


def client_as(app, roles=("coordinator",), **values):
    """A test client signed in as a new person with these roles."""
    return logged_in(app.test_client(), email_of(app, make_person(app, roles=roles, **values)))
