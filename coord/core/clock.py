"""Times of day as people write them: "9 h 30", "13 h" in French (OQLF), "1:30 p.m." in English.

The one formatter of hours: templates' filters, e-mails, PDFs, feeds' descriptions and every module's labels
use it. Montréal wall time from aware UTC datetimes; a naive `time` is taken as it is. The language is the one
being rendered: the reader's page, or the recipient's e-mail under `force_locale`.
"""

from __future__ import annotations

import re
from datetime import datetime, time

from babel.dates import format_time
from flask_babel import get_locale

from coord.core.localtime import to_local

NBSP = "\u00a0"
LANGUAGES = ("fr", "en")
# An hour and its minutes in a CLDR pattern: "HH:mm", "H:mm", "H 'h' mm", "HH'h'mm".
HOUR_IN_PATTERN = re.compile(r"H{1,2}(?::|\s*'h'\s*)mm")


def rendering_language() -> str:
    """fr or en: the locale being rendered (a page's, or an e-mail's under force_locale); French otherwise."""
    locale = get_locale()
    if locale is None:
        from coord.i18n import current_language  # a request without Babel's locale yet

        return current_language()
    return str(locale.language) if str(locale.language) in LANGUAGES else "fr"


def clock(value: datetime | time | None, language: str | None = None) -> str:
    """ "9 h 30", "13 h" (non-breaking spaces) in French; "1:30 p.m." in English; "" for nothing."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).time() if value.tzinfo is not None else value.time()
    if (language or rendering_language()) == "en":  # Canadian English, as CLDR writes it: "1:30 p.m."
        return format_time(value, "h:mm a", locale="en_CA").replace(" ", NBSP)
    if value.minute:
        return f"{value.hour}{NBSP}h{NBSP}{value.minute:02d}"
    return f"{value.hour}{NBSP}h"


def clock_span(starts: datetime | time | None, ends: datetime | time | None) -> str:
    """ "9 h – 10 h 30" / "9:00 a.m. – 10:30 a.m."."""
    return f"{clock(starts)} – {clock(ends)}"


def french_pattern(pattern: str, value: datetime) -> str:
    """A CLDR date pattern whose hour is written the Québec way: the hour becomes a quoted literal."""
    return HOUR_IN_PATTERN.sub(lambda _: "'" + clock(value, "fr") + "'", pattern)
