"""The referrals' periodic work: the retention purge, once a day (the worker's sweep asks every minute)."""

from __future__ import annotations

from coord.notify.schedule import periodic
from coord.referrals.purge import daily_purge


@periodic("referrals.purge")
def scheduled_purge() -> None:
    daily_purge()
