"""The person's next events (every module, redacted) on "Mon horaire"."""

from __future__ import annotations

from datetime import datetime, timedelta

from coord.calendar.events import redacted
from coord.calendar.recurrence import occurrences
from coord.calendar.sources import Scope, ScopeKind, Window, events_for
from coord.directory.models import Person
from coord.home.services import UpcomingItem, register_provider

HORIZON = timedelta(days=60)


@register_provider
def upcoming_events(person: Person, after: datetime, limit: int) -> list[UpcomingItem]:
    window = Window(after, after + HORIZON)
    items = []
    for event in events_for(Scope(ScopeKind.PERSON, person.id), window):
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
