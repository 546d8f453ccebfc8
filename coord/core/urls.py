"""Absolute links (e-mails, invitations, answers, feeds) come from the configured public address, never
from the request: a forged Host or X-Forwarded-Host cannot send a victim's token elsewhere."""

from __future__ import annotations

from flask import current_app


def public_url() -> str:
    """The site's address (PUBLIC_URL; the config always sets it: see coord.config)."""
    return current_app.config["PUBLIC_URL"].rstrip("/")


def absolute_url(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return public_url() + "/" + path.lstrip("/")
