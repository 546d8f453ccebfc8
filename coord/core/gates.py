"""Marks on views that request-wide gates read (instead of lists of endpoints that name modules)."""

from __future__ import annotations

from flask import current_app, request

_OPEN_BEFORE_SECOND_FACTOR = "_coord_open_before_second_factor"


def open_before_second_factor(view):
    """This page stays reachable by a person who must still enrol a second factor (log out, language)."""
    setattr(view, _OPEN_BEFORE_SECOND_FACTOR, True)
    return view


def is_open_before_second_factor() -> bool:
    if request.endpoint in (None, "static"):
        return True
    view = current_app.view_functions.get(request.endpoint)
    return bool(getattr(view, _OPEN_BEFORE_SECOND_FACTOR, False))
