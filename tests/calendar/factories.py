"""Helpers for calendar tests: committees with members, series and meetings through the services,
feed URLs, and the e-mails the outbox wrote."""

from __future__ import annotations

import email
from datetime import UTC, datetime, timedelta
from email import policy
from pathlib import Path

from coord.calendar import feed_links
from coord.calendar.sources import PERSON
from coord.core.localtime import LOCAL_TZ
from coord.directory.models import Person
from coord.extensions import db
from coord.meetings import meeting_services, series_services
from coord.meetings.models import Frequency, Meeting, MeetingSeries
from tests.directory.factories import make_committee, make_person


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ).astimezone(UTC)


def committee_with_people(app, members: int = 2) -> tuple[int, int, list[int]]:
    """(committee_id, coordinator_id, member ids); the coordinator is a member too."""
    coordinator = make_person(app, roles=("coordinator",))
    people = [make_person(app) for _ in range(members)]
    committee = make_committee(app, code=f"c{coordinator}", member_ids=[coordinator, *people])
    return committee, coordinator, people


def person(person_id: int) -> Person:
    return db.session.get(Person, person_id)


def weekly_series(
    app, coordinator_id: int, committee_id: int, first_start=None, publish=True, **extra
) -> int:
    with app.app_context():
        data = series_services.SeriesData(
            title=extra.pop("title", "Comité clinique"),
            first_start=first_start or local(2026, 10, 13, 9, 30),
            duration_minutes=90,
            frequency=extra.pop("frequency", Frequency.WEEKLY),
            location=extra.pop("location", "CIUSSS, salle 2.14"),
            committee_id=committee_id,
            **extra,
        )
        series = series_services.create_series(person(coordinator_id), data)
        if publish:
            series_services.publish_series(person(coordinator_id), series.id)
        return series.id


def single_meeting(
    app, coordinator_id: int, committee_id: int | None, start=None, guests=(), publish=True
) -> int:
    with app.app_context():
        start = start or local(2026, 12, 8, 13, 0)
        data = meeting_services.MeetingData(
            "Rencontre ponctuelle",
            start,
            start + timedelta(hours=1),
            "FMV",
            committee_id=committee_id,
        )
        meeting = meeting_services.create_meeting(person(coordinator_id), data, list(guests))
        if publish:
            meeting_services.publish_meeting(person(coordinator_id), meeting.id)
        return meeting.id


def series_of(series_id: int) -> MeetingSeries:
    return db.session.get(MeetingSeries, series_id)


def meeting_of(meeting_id: int) -> Meeting:
    return db.session.get(Meeting, meeting_id)


def feed_path(app, person_id: int, scope: str = PERSON, scope_id: int | None = None) -> str:
    with app.app_context():
        link = feed_links.ensure_link(person(person_id), scope, scope_id)
        db.session.commit()
        return f"/feeds/{feed_links.token(link)}.ics"


def sent_messages(app) -> list[email.message.EmailMessage]:
    """The e-mails written to the outbox directory, oldest first."""
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    files = sorted(folder.glob("*.eml"), key=lambda path: path.stat().st_mtime_ns) if folder.exists() else []
    return [email.message_from_bytes(path.read_bytes(), policy=policy.default) for path in files]


def calendar_part(message) -> tuple[str, str]:
    """(iTIP method from the Content-Type, text) of the message's calendar attachment."""
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return part.get_param("method"), part.get_content()
    raise AssertionError("no text/calendar part")
