"""Upcoming items for a person's home page, gathered from the domain modules that register a provider."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from coord.directory.models import Person


@dataclass(frozen=True)
class UpcomingItem:
    starts_at: datetime
    ends_at: datetime | None
    title: str
    url: str
    kind: str  # e.g. "meeting", "training"; used for an icon and a label


Provider = Callable[[Person, datetime, int], Iterable[UpcomingItem]]
_PROVIDERS: list[Provider] = []


def register_provider(provider: Provider) -> Provider:
    """Domain modules call this (usually from their calendar.py) to appear on "Mon horaire"."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def upcoming_items(person: Person, after: datetime, limit: int = 20) -> list[UpcomingItem]:
    items = [item for provider in _PROVIDERS for item in provider(person, after, limit)]
    return sorted(items, key=lambda item: item.starts_at)[:limit]
