"""Languages: French (Québec) first, English second; the person's choice, then the browser's."""

from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_login import current_user

BABEL_LOCALES = {"fr": "fr_CA", "en": "en_CA"}
HTML_LANG = {"fr": "fr-CA", "en": "en-CA"}


def babel_locale(language: str) -> str:
    return BABEL_LOCALES.get(language, BABEL_LOCALES["fr"])


def current_language() -> str:
    """fr or en: the signed-in person's preference, the language chosen in this browser, Accept-Language."""
    supported = current_app.config["LANGUAGES"]
    if not has_request_context():
        return supported[0]
    if getattr(current_user, "is_authenticated", False) and current_user.preferred_language in supported:
        return current_user.preferred_language
    chosen = session.get("lang")
    if chosen in supported:
        return chosen
    return browser_language(request.accept_languages, supported)


def browser_language(accepted, supported) -> str:
    """French unless the browser asks for English more than for French: "fr-CA,en;q=0.8" is French (an
    exact "en" must not beat a regional "fr-CA"), "de" or "*" is French, "en-US,fr;q=0.5" is English."""
    best: dict[str, float] = {}
    for tag, quality in accepted:
        primary = tag.replace("_", "-").split("-")[0].lower()
        if primary in supported and quality > best.get(primary, 0):
            best[primary] = quality
    default = supported[0]
    chosen = max(best, key=lambda code: (best[code], code == default), default=default)
    return chosen if best.get(chosen, 0) > best.get(default, 0) else default


def select_locale() -> str:
    return babel_locale(current_language())


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]
