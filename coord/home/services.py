"""What the home page ("Mon horaire") shows: the person's next events, from every module's calendar."""

from __future__ import annotations

from datetime import datetime

from coord.calendar.upcoming import UpcomingItem, upcoming_events

__all__ = ["UpcomingItem", "upcoming_items"]


def upcoming_items(person, after: datetime, limit: int = 20) -> list[UpcomingItem]:
    return upcoming_events(person, after, limit)
