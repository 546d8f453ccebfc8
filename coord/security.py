"""Response headers, cookie security, and who may see which pages before the second factor."""

from __future__ import annotations

from flask import Flask, abort, current_app, redirect, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from werkzeug.routing import IntegerConverter

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

# Pages a person who must enrol a second factor may still reach.
TOTP_SETUP_ENDPOINTS = {
    "account.totp_setup",
    "auth.logout",
    "home.switch_language",
    "static",
    "health.healthz",
}


MAX_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """<int:...> that never matches a number no database column could hold (404 instead of a 500)."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def int_arg(name: str, default: int | None = None) -> int | None:
    """An integer query parameter; absent gives the default, anything malformed or out of range gives 400."""
    raw = request.args.get(name, "")
    if raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_ID:
        abort(400)
    return int(raw)


class SessionInterface(SecureCookieSessionInterface):
    """Marks the session cookie Secure whenever the request came over https."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


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
    if request.blueprint == "feeds":
        pass  # calendar feeds set their own Cache-Control: private, with ETag and Last-Modified
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


def require_second_factor():
    """Send people whose role requires TOTP and who have not enrolled to the enrolment page."""
    if not getattr(current_user, "is_authenticated", False) or request.endpoint in TOTP_SETUP_ENDPOINTS:
        return None
    required = current_app.config["TOTP_REQUIRED_ROLES"]
    if required and current_user.has_role(*required) and not current_user.totp_enabled:
        return redirect(url_for("account.totp_setup"))
    return None
