"""Form helpers every module uses: choices, the required message, confirmation buttons, whole numbers."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

WHOLE_NUMBER = re.compile(r"-?[0-9]+")
REQUIRED = _l("This field is required.")


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]


class ConfirmForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change something."""


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class WholeNumberField(IntegerField):
    """A whole number of at most `digits` digits; letters or a 400-digit value are a form error (with
    `message`, or WTForms' own), never an overflow."""

    def __init__(self, *args, message=None, digits: int = 6, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.message = message
        self.digits = digits

    def process_formdata(self, valuelist) -> None:
        raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not raw:
            return
        if not WHOLE_NUMBER.fullmatch(raw) or len(raw.lstrip("-")) > self.digits:
            raise ValueError(self.message or self.gettext("Not a valid integer value."))
        self.data = int(raw)
