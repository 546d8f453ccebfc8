"""Engine tests' helpers: presenters with weekly windows, requests written directly (the request form is
another part's), the coordinator, and the e-mails the outbox wrote."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, time, timedelta

from coord.core.localtime import LOCAL_TZ
from coord.directory.models import Person
from coord.extensions import db
from coord.outreach.models import (
    AvailabilityWindow,
    OutreachRequest,
    PreferredWindow,
    Presenter,
    RequestHistory,
)
from coord.outreach.settings import for_update as current_settings
from tests.directory.factories import make_person

_counter = itertools.count(1)
WEEKDAYS = range(7)


def local(*args) -> datetime:
    """A Montréal wall-clock time, as aware UTC."""
    return datetime(*args, tzinfo=LOCAL_TZ).astimezone(UTC)


def soon(days: int = 20, hour: int = 10, minute: int = 0) -> datetime:
    """A Montréal time `days` from today (aware UTC), at the given wall-clock hour."""
    day = datetime.now(LOCAL_TZ).date() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ).astimezone(UTC)


def person(person_id: int) -> Person:
    return db.session.get(Person, person_id)


def coordinator(app, **values) -> int:
    return make_person(app, roles=("coordinator",), **values)


def make_presenter(app, person_id: int | None = None, windows=None, language: str = "fr", active=True) -> int:
    """A presenter (a new intervenant·e unless given) with weekly windows [(weekday, "09:00", "12:00")]."""
    person_id = person_id or make_person(app, roles=("intervenant",), preferred_language=language)
    with app.app_context():
        presenter = Presenter(person_id=person_id, active=active, languages="fr,en")
        for weekday, starts, ends in windows or ():
            presenter.windows.append(
                AvailabilityWindow(
                    weekday=weekday, starts=time.fromisoformat(starts), ends=time.fromisoformat(ends)
                )
            )
        db.session.add(presenter)
        db.session.commit()
        return presenter.id


def presenter_person(app, presenter_id: int) -> int:
    with app.app_context():
        return db.session.get(Presenter, presenter_id).person_id


def make_request(app, windows=(), **values) -> int:
    """A request in state `requested` (organization, contact, audience...), with preferred windows."""
    n = next(_counter)
    with app.app_context():
        request = OutreachRequest(
            organization_name=values.pop("organization_name", f"École secondaire {n}"),
            milieu=values.pop("milieu", "school"),
            region=values.pop("region", "06"),
            contact_name=values.pop("contact_name", f"Contact {n}"),
            contact_email=values.pop("contact_email", f"contact{n}@ecole.example.org"),
            contact_phone=values.pop("contact_phone", "514 555-0101"),
            language=values.pop("language", "fr"),
            audiences=values.pop("audiences", "youth,staff"),
            expected_size=values.pop("expected_size", 60),
            format=values.pop("format", "in_person"),
            address=values.pop("address", "1234, rue Ontario Est, Montréal"),
            **values,
        )
        for start, end in windows:
            request.windows.append(PreferredWindow(starts_at=start, ends_at=end))
        request.history.append(RequestHistory(kind="requested"))
        db.session.add(request)
        db.session.commit()
        return request.id


def set_rules(app, **values) -> None:
    with app.app_context():
        settings = current_settings()
        for name, value in values.items():
            setattr(settings, name, value)
        db.session.commit()


def get(app, request_id: int) -> OutreachRequest:
    return db.session.get(OutreachRequest, request_id)
