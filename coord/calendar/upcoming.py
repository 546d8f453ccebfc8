"""The person's next events (every module, redacted), for "Mon horaire"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from coord.calendar.events import redacted
from coord.calendar.recurrence import occurrences
from coord.calendar.sources import PERSON, Scope, Window, events_for

HORIZON = timedelta(days=60)


@dataclass(frozen=True)
class UpcomingItem:
    starts_at: datetime
    ends_at: datetime | None
    title: str
    url: str
    kind: str  # a registered event kind, e.g. "meeting"


def upcoming_events(person, after: datetime, limit: int = 20) -> list[UpcomingItem]:
    window = Window(after, after + HORIZON)
    items = []
    for event in events_for(Scope(PERSON, person.id), window):
        for occurrence in occurrences(redacted(event), window):
            if occurrence.event.is_cancelled or occurrence.start < after:
                continue
            items.append(
                UpcomingItem(
                    starts_at=occurrence.start,
                    ends_at=occurrence.end,
                    title=occurrence.event.title,
                    url=occurrence.event.url,
                    kind=str(occurrence.event.kind),
                )
            )
    return sorted(items, key=lambda item: item.starts_at)[:limit]
