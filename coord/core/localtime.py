"""UTC in the database, America/Toronto on screen: the one place that knows both."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

LOCAL_TZ = ZoneInfo("America/Toronto")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores naive UTC on every backend and always returns timezone-aware UTC datetimes."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def local_today() -> date:
    """Today's date in Montréal."""
    return utcnow().astimezone(LOCAL_TZ).date()


def to_local(moment: datetime) -> datetime:
    """An aware datetime as Montréal wall time (aware)."""
    return moment.astimezone(LOCAL_TZ)


def to_utc(local: datetime) -> datetime:
    """A naive Montréal wall time, or an aware datetime, as aware UTC."""
    if local.tzinfo is None:
        local = local.replace(tzinfo=LOCAL_TZ)
    return local.astimezone(UTC)
