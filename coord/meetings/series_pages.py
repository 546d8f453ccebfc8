"""What the series pages show: a series and its next occurrences, one occurrence not prepared yet, the
series forms; each with what the reader may do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from werkzeug.exceptions import NotFound

from coord.core.localtime import utcnow
from coord.core.permissions import may, require
from coord.directory.models import Committee, Person
from coord.meetings import rule_words
from coord.meetings.listing import editable_committees
from coord.meetings.models import Meeting, MeetingSeries
from coord.meetings.series_services import get_series, is_occurrence, occurrence_row, upcoming_occurrences

SHOWN_OCCURRENCES = 24


@dataclass(frozen=True)
class SeriesPage:
    series: MeetingSeries
    occurrences: list[tuple[datetime, Meeting | None]]  # (original start, its own row if it has one)
    can_edit: bool
    rule: str = ""  # the repetition in words ("le 2e mardi du mois, 9 h 30")
    guests: tuple[Person, ...] = ()  # invited besides the committee's members
    can_open_committee: bool = False


@dataclass(frozen=True)
class OccurrencePage:
    """One occurrence; `meeting_id` when it has its own row (the page then is the meeting's)."""

    series: MeetingSeries
    start: datetime
    meeting_id: int | None
    can_edit: bool

    @property
    def end(self) -> datetime:
        return self.start + self.series.duration


def series_page(actor: Person, series_id: int) -> SeriesPage:
    series = get_series(actor, series_id)
    return SeriesPage(
        series,
        upcoming_occurrences(series, utcnow() - timedelta(days=1), limit=SHOWN_OCCURRENCES),
        can_edit=may(actor, "meetings.edit", series.committee),
        rule=rule_words.describe(series),
        guests=tuple(sorted((g.person for g in series.guests), key=lambda person: person.display_name)),
        can_open_committee=series.committee is not None and may(actor, "meetings.calendar", series.committee),
    )


def occurrence_page(actor: Person, series_id: int, start: datetime) -> OccurrencePage:
    """An occurrence of a series the actor may see (a 404 when the series has none at that time)."""
    series = get_series(actor, series_id)
    row = occurrence_row(series, start)
    if row is None and not is_occurrence(series, start):
        raise NotFound()
    can_edit = may(actor, "meetings.edit", series.committee)
    return OccurrencePage(series, start, row.id if row is not None else None, can_edit)


def new_series_form(actor: Person) -> list[Committee]:
    """The committees the actor may choose for a new series (staff may also create one without)."""
    committees = editable_committees(actor)
    if not committees:
        require(actor, "meetings.edit")
    return committees


def series_to_change(actor: Person, series_id: int) -> MeetingSeries:
    """A series the actor may change (from one of its occurrences on)."""
    series = get_series(actor, series_id)
    require(actor, "meetings.edit", series.committee)
    return series
