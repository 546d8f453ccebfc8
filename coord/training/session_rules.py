"""What a session must be: the checks `sessions.create` and `sessions.change` share (no writes).

Times are given in Montréal wall-clock time (a date, a start, an end per part) and stored in UTC; a time
that does not exist (the spring-forward gap) is refused with a message."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l

from coord.calendar.validation import check_place, check_year
from coord.core.errors import ServiceError
from coord.core.localtime import LOCAL_TZ, to_utc
from coord.core.text import check_multi_line
from coord.training.models import MAX_PARTS, MAX_TRAINERS, Audience

LANGUAGES = ("fr", "en")
MAX_PART = timedelta(hours=12)


@dataclass
class SessionInput:
    """What the coordinator gives for a session (plain data; the form or a test builds it)."""

    module_id: int | None
    parts: list[tuple[date | None, time | None, time | None]]
    capacity: int | None
    registration_opens: date | None
    registration_closes: date | None
    trainer_ids: list[int] = field(default_factory=list)
    place: str = ""
    video_url: str = ""
    audience: str = Audience.PARTNERS
    per_organization_limit: int | None = None
    language: str = "fr"
    cancel_hours_before: int | None = 48
    offer_hours: int | None = 48
    notes: str = ""


def wall_time(day: date, moment: time, name: str) -> datetime:
    """A Montréal wall-clock time as aware UTC; a time the clocks skip is refused."""
    naive = datetime.combine(day, moment)
    check_year(naive, name)
    utc = to_utc(naive)
    if utc.astimezone(LOCAL_TZ).replace(tzinfo=None) != naive:
        raise ServiceError(_l("This time does not exist: the clocks move forward that night."), name)
    return utc


def part_times(rows) -> list[tuple[datetime, datetime]]:
    """The parts as UTC (start, end), sorted; empty rows skipped; each complete, in order, not overlapping."""
    parts = []
    for index, (day, start, end) in enumerate(rows):
        if day is None and start is None and end is None:
            continue
        prefix = f"parts-{index}-"
        if day is None:
            raise ServiceError(_l("Give the date of this part."), prefix + "day")
        if start is None:
            raise ServiceError(_l("Give the start of this part."), prefix + "start")
        if end is None:
            raise ServiceError(_l("Give the end of this part."), prefix + "end")
        starts_at = wall_time(day, start, prefix + "start")
        ends_at = wall_time(day, end, prefix + "end")
        if ends_at <= starts_at:
            raise ServiceError(_l("The end must come after the start."), prefix + "end")
        if ends_at - starts_at > MAX_PART:
            raise ServiceError(_l("A part lasts at most 12 hours."), prefix + "end")
        parts.append((starts_at, ends_at, prefix))
    if not parts:
        raise ServiceError(_l("Give at least one date, with its start and end."), "parts-0-day")
    if len(parts) > MAX_PARTS:
        raise ServiceError(_l("A session has at most %(max)d parts.", max=MAX_PARTS), "parts-0-day")
    parts.sort()
    for (_, previous_end, _), (start, _, prefix) in zip(parts, parts[1:], strict=False):
        if start < previous_end:
            raise ServiceError(
                _l("The parts overlap: each part must end before the next begins."), prefix + "start"
            )
    return [(start, end) for start, end, _ in parts]


def registration_window(data: SessionInput, first_start: datetime) -> tuple[datetime, datetime]:
    """Registration opens at the start of its day and closes at the end of its day (Montréal)."""
    if data.registration_opens is None:
        raise ServiceError(_l("Give the date registration opens."), "registration_opens")
    if data.registration_closes is None:
        raise ServiceError(_l("Give the date registration closes."), "registration_closes")
    opens_at = wall_time(data.registration_opens, time(0), "registration_opens")
    check_year(datetime.combine(data.registration_closes, time(0)), "registration_closes")  # before adding
    closes_at = wall_time(data.registration_closes + timedelta(days=1), time(0), "registration_closes")
    if data.registration_closes < data.registration_opens:
        raise ServiceError(_l("Registration must close after it opens."), "registration_closes")
    if closes_at > first_start:
        raise ServiceError(
            _l("Registration must close before the session starts (the day before at the latest)."),
            "registration_closes",
        )
    return opens_at, closes_at


def check_settings(data: SessionInput, title: str) -> None:
    """Capacity, audience, language, limits, place and notes."""
    if data.capacity is None or not 1 <= data.capacity <= 1000:
        raise ServiceError(_l("Give a capacity between 1 and 1,000 people."), "capacity")
    if data.audience not in {a.value for a in Audience}:
        raise ServiceError(_l("Choose who may register."), "audience")
    if data.language not in LANGUAGES:
        raise ServiceError(_l("Choose French or English."), "language")
    limit = data.per_organization_limit
    if limit is not None and not 1 <= limit <= data.capacity:
        raise ServiceError(
            _l("Give a limit between 1 and the capacity, or leave it empty."), "per_organization_limit"
        )
    if data.cancel_hours_before is None or not 0 <= data.cancel_hours_before <= 720:
        raise ServiceError(_l("Give a number of hours between 0 and 720."), "cancel_hours_before")
    if data.offer_hours is None or not 1 <= data.offer_hours <= 336:
        raise ServiceError(_l("Give a number of hours between 1 and 336."), "offer_hours")
    if len(data.trainer_ids) > MAX_TRAINERS:
        raise ServiceError(_l("A session has at most %(max)d trainers.", max=MAX_TRAINERS), "trainer_ids")
    check_place(title, data.place or "", data.video_url or "")
    check_multi_line(data.notes, "notes")
    if len(data.notes or "") > 3000:
        raise ServiceError(_l("Keep this under %(max)d characters.", max=3000), "notes")


def check_confirmable(trainer_count: int, place: str, video_url: str) -> None:
    """A confirmed session has a trainer and a place or a video link."""
    if trainer_count == 0:
        raise ServiceError(_l("Name at least one trainer before confirming the session."), "trainer_ids")
    if not (place or "").strip() and not (video_url or "").strip():
        raise ServiceError(_l("Give a place or a video link before confirming the session."), "place")
