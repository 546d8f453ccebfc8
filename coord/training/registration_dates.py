"""Dates as people say them in registration pages and e-mails: "mercredi 3 février 2027, 14 h 30"."""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import format_date

from coord.core.clock import clock, rendering_language
from coord.core.localtime import to_local

DAY_YEAR_PATTERNS = {"fr": "EEEE d MMMM yyyy", "en": "EEEE, MMMM d, yyyy"}


def spoken(moment: datetime | None) -> str:
    """ "mercredi 3 février 2027, 14 h 30" / "Wednesday, February 3, 2027, 2:30 p.m." (Montréal time)."""
    if moment is None:
        return ""
    language = rendering_language()
    text = format_date(to_local(moment).date(), DAY_YEAR_PATTERNS[language])
    if language == "fr":
        text = re.sub(r"(?<!\d)1 (?=\D)", "1er ", text, count=1)
    return f"{text}, {clock(moment)}"


def register_filters(state) -> None:
    """The `training_when` filter, for pages and e-mails (called when the blueprint is registered)."""
    state.app.jinja_env.filters["training_when"] = spoken
