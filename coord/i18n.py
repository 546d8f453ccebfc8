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
    return request.accept_languages.best_match(supported, default=supported[0]) or supported[0]


def select_locale() -> str:
    return babel_locale(current_language())


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]
