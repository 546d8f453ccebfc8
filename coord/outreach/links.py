"""The requester's signed link: status, cancel and reschedule for a request, with no account.

The token names the request and its `link_version`; raising the version (when the contact's address
changes, or a new link replaces the old one) kills every earlier link for good. Links expire after
OUTREACH_LINK_MAX_AGE (default 400 days: long enough to outlive the session and its follow-up).
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from coord.core.urls import absolute_url
from coord.extensions import db
from coord.outreach.models import OutreachRequest

DEFAULT_MAX_AGE = timedelta(days=400)
MAX_TOKEN_LENGTH = 300


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="coord.outreach.requester-link")


def token_for(request: OutreachRequest) -> str:
    return _serializer().dumps({"r": request.id, "v": request.link_version})


def requester_url(request: OutreachRequest) -> str:
    """The link for e-mails, from the configured public address (never the request's Host)."""
    return absolute_url(f"/outreach/follow/{token_for(request)}")


def read(token: str) -> OutreachRequest | None:
    """The request of a genuine, unexpired token signed under the request's current link version."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    max_age = current_app.config.get("OUTREACH_LINK_MAX_AGE", DEFAULT_MAX_AGE)
    try:
        data = _serializer().loads(token, max_age=int(max_age.total_seconds()))
    except BadData:
        return None
    if not isinstance(data, dict):
        return None
    request_id, version = data.get("r"), data.get("v")
    if type(request_id) is not int or type(version) is not int or not 0 < request_id < 2**31:
        return None
    request = db.session.get(OutreachRequest, request_id)
    if request is None or request.link_version != version:
        return None
    return request
