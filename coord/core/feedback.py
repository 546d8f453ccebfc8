"""Showing a service's refusal to the person: beside the form field it names, else as a message."""

from __future__ import annotations

from collections.abc import Mapping

from flask import flash
from wtforms import FieldList

from coord.core.errors import ServiceError


def find_field(form, name: str):
    """The field (top level or inside a row of a FieldList) whose full name is `name`, or None."""
    for top in form:
        if top.name == name:
            return top
        if isinstance(top, FieldList):
            for entry in top:
                if entry.name == name:
                    return entry
                for sub in getattr(entry, "form", ()):
                    if sub.name == name:
                        return sub
    return None


def show_error(
    error: ServiceError, form=None, aliases: Mapping[str, str] | None = None, on_form: bool = False
) -> None:
    """Put the message on the form field the error names (through `aliases` when the service's name
    differs from the form's). A message for no field, or for a list of rows, goes to the form's general
    errors when `on_form` (the template shows `form.form_errors`), else it is flashed."""
    name = (aliases or {}).get(error.field or "", error.field or "")
    target = find_field(form, name) if form is not None and name else None
    if target is not None and not isinstance(target, FieldList):
        target.errors = [*target.errors, str(error.message)]
    elif form is not None and on_form:
        form.form_errors.append(str(error.message))
    else:
        flash(str(error.message), "error")
