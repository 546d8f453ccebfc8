"""Helpers for the requester's side: presenters with weekly windows, valid form posts, requests."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from coord.core.localtime import LOCAL_TZ, local_today
from coord.directory.models import Person
from coord.extensions import db
from coord.outreach import requests as outreach_requests
from coord.outreach.models import Assignment, AvailabilityWindow, OutreachRequest, Presenter, RequestHistory
from tests.directory.factories import make_person
from tests.support import csrf_token

FORM = "/outreach/request"


def presenter(app, weekdays=(0, 1, 2, 3, 4), starts=time(9, 0), ends=time(16, 0), **person) -> int:
    """A published presenter (an intervenant) available those weekdays; returns the presenter's id."""
    person_id = make_person(app, roles=("intervenant",), **person)
    with app.app_context():
        row = Presenter(person_id=person_id, active=True, languages="fr,en")
        row.windows = [AvailabilityWindow(weekday=day, starts=starts, ends=ends) for day in weekdays]
        db.session.add(row)
        db.session.commit()
        return row.id


def future_day(days: int = 20, weekday: int | None = None) -> date:
    """A local date `days` from today, moved forward to the weekday asked (0 Monday)."""
    day = local_today() + timedelta(days=days)
    while weekday is not None and day.weekday() != weekday:
        day += timedelta(days=1)
    return day


def valid_post(**overrides) -> dict:
    """A complete public-form post proposing one window (no slot)."""
    day = future_day(20)
    data = {
        "organization_name": "École secondaire Jeanne-Mance",
        "milieu": "school",
        "region": "06",
        "contact_name": "Sylvie Tremblay",
        "contact_email": "s.tremblay@ecole.example",
        "contact_phone": "514 555-0123, poste 12",
        "audiences": ["youth", "staff"],
        "expected_size": "60",
        "format": "in_person",
        "address": "4240, rue de Bordeaux, Montréal",
        "language": "fr",
        "details": "Deux groupes de 4e secondaire.",
        "slot": "",
        "windows-0-day": day.isoformat(),
        "windows-0-start": "13:00",
        "windows-0-end": "15:30",
        "windows-1-day": "",
        "windows-1-start": "",
        "windows-1-end": "",
        "windows-2-day": "",
        "windows-2-start": "",
        "windows-2-end": "",
        "website": "",
    }
    data.update(overrides)
    return data


def post_request(client, data: dict, **kwargs):
    token = csrf_token(client, FORM)
    return client.post(FORM, data={**data, "csrf_token": token}, **kwargs)


def request_count(app) -> int:
    with app.app_context():
        return db.session.query(OutreachRequest).count()


def make_request(app, actor_id: int | None = None, **overrides) -> int:
    """A request through the service (anonymous unless `actor_id`), proposing one window."""
    day = future_day(20)
    data = outreach_requests.RequestData(
        organization_name=overrides.pop("organization_name", "Maison des jeunes du Plateau"),
        milieu=overrides.pop("milieu", "youth_centre"),
        region="06",
        contact_name="Karim Haddad",
        contact_email=overrides.pop("contact_email", "karim@mdj.example"),
        audiences=("youth",),
        expected_size=25,
        format="virtual",
        language=overrides.pop("language", "fr"),
        windows=(outreach_requests.WindowData(day, time(18, 0), time(20, 0)),),
        **overrides,
    )
    with app.app_context():
        actor = db.session.get(Person, actor_id) if actor_id else None
        return outreach_requests.create_request(actor, data).id


def confirm_directly(app, request_id: int, presenter_id: int, start, minutes: int = 90) -> None:
    """The state the ENGINE's confirm leaves (written directly: that workflow is not this part's)."""
    with app.app_context():
        request = db.session.get(OutreachRequest, request_id)
        request.state = "confirmed"
        request.starts_at, request.ends_at = start, start + timedelta(minutes=minutes)
        held = [a for a in request.assignments if a.presenter_id == presenter_id]
        assignment = held[0] if held else Assignment(presenter_id=presenter_id)
        assignment.busy_from = start - timedelta(hours=1)
        assignment.busy_until = request.ends_at + timedelta(hours=1)
        assignment.active = True
        if not held:
            request.assignments.append(assignment)
        request.history.append(RequestHistory(kind="confirmed", starts_at=start))
        db.session.commit()


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ).astimezone(UTC)
