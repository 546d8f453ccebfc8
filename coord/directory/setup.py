"""What the directory wires into the app: the login manager and the second-factor gate."""

from __future__ import annotations

from flask import Flask, current_app, redirect, url_for
from flask_login import current_user

from coord.core.gates import is_open_before_second_factor
from coord.directory.auth_views import configure_login_manager


def require_second_factor():
    """Send people whose role requires TOTP and who have not enrolled to the enrolment page."""
    if not getattr(current_user, "is_authenticated", False) or is_open_before_second_factor():
        return None
    required = current_app.config["TOTP_REQUIRED_ROLES"]
    if required and current_user.has_role(*required) and not current_user.totp_enabled:
        return redirect(url_for("directory_account.totp_setup"))
    return None


def setup(app: Flask) -> None:
    configure_login_manager()
    app.before_request(require_second_factor)
