"""Who is acting: the signed-in person in a request, or a named system actor for jobs and the CLI."""

from __future__ import annotations

from dataclasses import dataclass

from flask import has_request_context
from flask_login import current_user


@dataclass(frozen=True)
class SystemActor:
    """An actor that is not a person: the audit log records it with no person id and its name."""

    name: str
    id: None = None
    organization_id: None = None
    is_authenticated: bool = False
    active: bool = False


SYSTEM = SystemActor("system")  # jobs, the worker, the CLI, demo seeding
ANONYMOUS = SystemActor("anonymous")  # someone not signed in (login attempts, forgotten password)


def current_actor():
    """The signed-in person (the real object, not Flask-Login's proxy), else ANONYMOUS."""
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return ANONYMOUS
