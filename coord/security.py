"""Response headers, cookie security, and who may see which pages before the second factor."""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask import Flask, abort, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_login import current_user

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ]
)


class DiscardedSession(SecureCookieSession):
    """The session of a sessionless path: empty, writable (an error page's CSRF token), never saved."""


class SessionInterface(SecureCookieSessionInterface):
    """Marks the session cookie Secure whenever the request came over https. Paths under the modules'
    `sessionless_url_prefixes` get an empty session that is never saved: the cookie is not read, and the
    answer carries no Set-Cookie and no `Vary: Cookie` (the session opens before the URL is matched:
    prefixes, not routes)."""

    def __init__(self, sessionless_prefixes: Iterable[str] = ()) -> None:
        prefixes = list(sessionless_prefixes)
        self.sessionless = re.compile("|".join(f"(?:{p})" for p in prefixes)) if prefixes else None

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)

    def open_session(self, app: Flask, request):
        if self.sessionless is not None and self.sessionless.match(request.path):
            return DiscardedSession()
        return super().open_session(app, request)

    def is_null_session(self, obj: object) -> bool:
        """Flask saves no null session: a discarded one counts as null."""
        return isinstance(obj, DiscardedSession) or super().is_null_session(obj)


def set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["X-Frame-Options"] = "DENY"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000"
    if "Cache-Control" in headers:
        pass  # a response that set its own (calendar feeds: private, with ETag and Last-Modified)
    elif request.endpoint not in ("static", None) or getattr(current_user, "is_authenticated", False):
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


def reject_nul_characters():
    """NUL characters have no place in any field and PostgreSQL refuses them: answer 400 up front."""
    values = [request.path, *(value for values in request.args.listvalues() for value in values)]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        values.extend(value for values in request.form.listvalues() for value in values)
    if any("\x00" in value for value in values):
        abort(400)
