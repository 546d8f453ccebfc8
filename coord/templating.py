"""What every template can use: the language, navigation, local times. Templates ask no permission
question: the services compute what the reader may do (can_* flags) and the views pass it on."""

from __future__ import annotations

import re

from flask import Flask, request
from flask_babel import format_date, format_datetime
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from coord.core.clock import clock, clock_span, french_pattern, rendering_language
from coord.core.localtime import to_local
from coord.core.module import NavEntry
from coord.core.permissions import may
from coord.i18n import HTML_LANG, current_language


def navigation_for(person, entries: list[NavEntry]) -> list[tuple[str, object]]:
    """The menu's (endpoint, label) pairs this person may follow."""
    if not getattr(person, "is_authenticated", False):
        return []
    return [
        (entry.endpoint, entry.label)
        for entry in entries
        if entry.permission is None or may(person, entry.permission)
    ]


def register_template_helpers(
    app: Flask, entries: list[NavEntry], links: dict[str, str], public_pages: list[NavEntry] = ()
) -> None:
    @app.context_processor
    def inject() -> dict:
        language = current_language()
        return {
            "current_language": language,
            "html_lang": HTML_LANG[language],
            "other_language": "en" if language == "fr" else "fr",
            "navigation": navigation_for(current_user, entries),
            "links": links,  # well-known pages by role (home, account, login, logout, language)
            "public_pages": [(entry.endpoint, entry.label) for entry in public_pages],  # the footer's
            "current_path": request.full_path.rstrip("?") if request else "/",
        }

    app.jinja_env.filters["localdatetime"] = local_datetime
    app.jinja_env.filters["localdate"] = local_date
    app.jinja_env.filters["localtime"] = local_time
    app.jinja_env.filters["monthname"] = lambda day: format_date(day, "MMMM yyyy")
    app.jinja_env.filters["weekday"] = lambda day, width="wide": format_date(
        day, "EEEE" if width == "wide" else "EEE"
    )
    app.jinja_env.filters["longday"] = long_day
    app.jinja_env.filters["clock"] = clock  # "9 h 30" / "9:30 AM", the one formatter of hours
    app.jinja_env.filters["clockspan"] = clock_span
    app.jinja_env.filters["de"] = de
    app.jinja_env.filters["elide"] = elide
    _eliding_gettext(app)
    app.jinja_env.globals["colon"] = colon


LONG_DAY_PATTERNS = {"fr": "EEEE d MMMM", "en": "EEEE, MMMM d"}
TIME_PATTERNS = {"fr": "H:mm", "en": "h:mm a"}  # French hours are rewritten "9 h 30" (french_pattern)
DATETIME_PATTERNS = {"fr": "d MMM yyyy 'à' H:mm", "en": "MMM d, yyyy 'at' h:mm a"}


def local_datetime(value, pattern: str | None = None) -> str:
    """A UTC datetime as Montréal local time, in the reader's language; French hours "9 h 30", "13 h"."""
    if not value:
        return ""
    language = _rendering_language()
    pattern = pattern or DATETIME_PATTERNS[language]
    if language == "fr":
        pattern = french_pattern(pattern, value)
    elif pattern == TIME_PATTERNS["en"]:
        return clock(value, "en")
    text = format_datetime(value, pattern)
    return first_of_month(text, to_local(value).day, pattern) if language == "fr" else text


def long_day(day) -> str:
    """ "mardi 1er décembre" / "Tuesday, December 1"."""
    language = _rendering_language()
    text = format_date(day, LONG_DAY_PATTERNS[language])
    return first_of_month(text, day.day, LONG_DAY_PATTERNS[language]) if language == "fr" else text


def local_date(value) -> str:
    """A date: "8 décembre 2026", "1er février 2027" (OQLF) / "December 8, 2026"."""
    if not value:
        return ""
    if _rendering_language() != "fr":
        return format_date(value, "MMMM d, yyyy")
    pattern = "d MMMM yyyy"
    return first_of_month(format_date(value, pattern), value.day, pattern)


def first_of_month(text: str, day: int, pattern: str) -> str:
    """French writes the first of the month "1er" ("1er décembre", "mardi 1er décembre")."""
    if day == 1 and re.search(r"(?<!d)d(?!d)", pattern.split("'")[0] if "'" in pattern else pattern):
        return re.sub(r"(?<!\d)1 (?=\D)", "1er ", text, count=1)
    return text


def local_time(value) -> str:
    """The hour of a UTC datetime in Montréal, in the reader's language ("9 h 30" / "9:30 a.m.")."""
    return clock(value) if value else ""


def _rendering_language() -> str:
    """The language being rendered: the reader's on a page, the recipient's in an e-mail (force_locale)."""
    return rendering_language()


def colon() -> str:
    """A colon between a label and what follows, composed in a template: "\u00a0: " in French (OQLF)."""
    return "\u00a0: " if rendering_language() == "fr" else ": "


# "de Élodie", "que Annie": a name composed after "de" or "que" by a placeholder. Only before a capital vowel
# (names, organizations): ordinary words never follow these without elision in written French.
NOT_ELIDED = re.compile(r"\b([DdQq]u?e) (?=[AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸ])")


def elide(text):
    """French elision of a composed sentence: "Présence de Élodie" → "Présence d'Élodie" (Markup kept)."""
    if not text or _rendering_language() != "fr":
        return text
    elided = NOT_ELIDED.sub(lambda m: m.group(1)[:-1] + "'", str(text))
    return type(text)(elided) if isinstance(text, Markup) else elided


def _eliding_gettext(app: Flask) -> None:
    """Templates' _(), gettext() and ngettext() elide in French once the names are in (see elide)."""
    globals_ = app.jinja_env.globals
    for name in ("_", "gettext", "ngettext", "pgettext", "npgettext"):
        original = globals_.get(name)
        if original is None:
            continue

        @pass_context
        def eliding(context, *args, __original=original, **kwargs):
            return elide(context.call(__original, *args, **kwargs))

        globals_[name] = eliding


ELIDING = "aeiouyhàâäéèêëîïôöùûüÿæœAEIOUYHÀÂÄÉÈÊËÎÏÔÖÙÛÜŸÆŒ"


def de(name: object, word: str = "de") -> str:
    """French elision before a vowel or a mute h: "d'Élodie", "de Karim"; `word` may be "que" or "le".

    Names starting with an h are elided ("d'Hélène"): most French given names' h is mute. English is left
    alone ("of" is written by the catalog)."""
    text = str(name or "")
    if not text:
        return word
    if text[0] in ELIDING and word in ("de", "que", "le", "la", "je", "ne", "se", "me", "te"):
        return f"{word[:-1]}'{text}"
    return f"{word} {text}"
