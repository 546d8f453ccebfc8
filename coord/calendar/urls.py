"""Absolute links back to coord pages: PUBLIC_URL when set, else the request's host (jobs need PUBLIC_URL)."""

from __future__ import annotations

from flask import current_app, has_request_context, request

FALLBACK_URL = "http://127.0.0.1:5000"


def base_url() -> str:
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return FALLBACK_URL


def absolute_url(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return base_url() + "/" + path.lstrip("/")
