"""The "meetings" blueprint (endpoints meetings.*). Its routes live in three modules, one per page family:
`listing_views` (the index and a committee's meetings), `meeting_views` (single meetings), `series_views`
(series and their occurrences); the module's manifest imports them so that their routes register."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("meetings", __name__, url_prefix="/meetings")
