"""Error pages in the reader's language, never a stack trace."""

from __future__ import annotations

import logging
import math

from flask import Flask, Response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from coord.extensions import db

logger = logging.getLogger(__name__)

MESSAGES = {
    400: (
        _l("Bad request"),
        _l("The request could not be understood. Check what you entered and try again."),
    ),
    403: (_l("Access denied"), _l("You do not have permission to see this page or do this action.")),
    404: (_l("Page not found"), _l("This page does not exist or is no longer available.")),
    405: (_l("Method not allowed"), _l("This address does not accept this kind of request.")),
    413: (_l("Too large"), _l("What you sent is too large.")),
    429: (
        _l("Too many attempts"),
        _l("Too many attempts in a short time. Wait a few minutes, then try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l("An unexpected error occurred. It has been logged; try again later."),
    ),
}


def render_error(code: int, message=None):
    title, default_message = MESSAGES.get(code, MESSAGES[500])
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/healthz"):
        return {"error": code}, code
    return render_template(
        "errors/error.html", code=code, title=title, message=message or default_message
    ), code


def too_many_attempts(error: HTTPException):
    """A 429 that says how long to wait (rounded up to the minute), with Retry-After in seconds."""
    seconds = getattr(error, "retry_after", None)
    if not isinstance(seconds, int) or seconds <= 0:
        return render_error(429)
    minutes = math.ceil(seconds / 60)
    message = ngettext(
        "Too many attempts in a short time. Try again in %(num)d minute.",
        "Too many attempts in a short time. Try again in %(num)d minutes.",
        minutes,
    )
    hint = getattr(error, "hint", None)
    if hint:
        message = f"{message} {hint}"
    body, code = render_error(429, message)
    return body, code, {"Retry-After": str(seconds)}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400, _l("The form has expired or was not sent from this site. Reload the page and try again.")
        )

    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError):
        """A Host outside TRUSTED_HOSTS: no page is built for it (no link may carry that host)."""
        return Response("400 Bad Request: unknown host\n", status=400, mimetype="text/plain")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        if isinstance(error, SecurityError):
            return untrusted_host(error)
        if error.code == 429:
            return too_many_attempts(error)
        if error.code in MESSAGES:
            return render_error(error.code)
        return render_template("errors/error.html", code=error.code, title=error.name, message=""), error.code

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        if isinstance(error, SecurityError):
            return untrusted_host(error)
        if isinstance(error, HTTPException):
            return http_error(error)
        logger.exception("unhandled error on %s %s", request.method, request.endpoint)
        db.session.rollback()
        return render_error(InternalServerError.code)
