"""Form helpers every module uses: the base forms, choices, the required message, confirmation buttons,
whole numbers.

Every form of the app derives from `BaseForm` (a FlaskForm), and every row of a FieldList from `RowForm`:
their fields are bound with the text checks of `coord.core.text`, so that each single-line field
(StringField and its kinds: hidden, password, e-mail...) refuses line breaks and control characters, and
each TextAreaField refuses control characters other than line breaks and tabs, with a message beside the
field in the reader's language. A new module gets them by deriving its forms from these bases
(`tests/test_control_characters.py` checks that every form does).
"""

from __future__ import annotations

import re

import wtforms
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from coord.core.text import MULTI_LINE_MESSAGE, SINGLE_LINE_MESSAGE, breaks_multi_line, breaks_single_line

WHOLE_NUMBER = re.compile(r"-?[0-9]+")
REQUIRED = _l("This field is required.")


class SingleLine:
    """No line break, tab or other control character (every single-line field gets it from the bases)."""

    def __call__(self, form, field) -> None:
        if breaks_single_line(field.data):
            raise ValidationError(str(SINGLE_LINE_MESSAGE))


class MultiLine:
    """Line breaks and tabs, but no other control character (every TextAreaField gets it from the bases)."""

    def __call__(self, form, field) -> None:
        if breaks_multi_line(field.data):
            raise ValidationError(str(MULTI_LINE_MESSAGE))


def text_check(field) -> SingleLine | MultiLine | None:
    """The check a bound field gets: MultiLine for a TextAreaField, SingleLine for any other StringField."""
    if isinstance(field, TextAreaField):
        return MultiLine()
    if isinstance(field, StringField):
        return SingleLine()
    return None


class TextChecksMeta:
    """Binds each field with its text check, after the validators it was declared with."""

    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)
        check = text_check(field)
        if check is not None:
            field.validators = [*field.validators, check]
        return field


class BaseForm(FlaskForm):
    """The base of every form of the app (CSRF token from Flask-WTF, text checks on every field)."""

    class Meta(TextChecksMeta):
        pass


class RowForm(wtforms.Form):
    """The base of the rows of a FieldList (FormField), with the same text checks, and WTForms' own messages
    in the reader's language like a FlaskForm's (a plain wtforms.Form would say them in English)."""

    class Meta(TextChecksMeta):
        def get_translations(self, form):
            from flask_wtf.i18n import translations

            return translations


def submitted(field) -> bool:
    """Whether the request carried this field at all. A browser always sends its text inputs, textareas and
    selects; a missing one comes from another client and must not read as a value where empty means
    something (an empty guest list removes the guests, a missing one keeps them)."""
    return bool(field.raw_data)


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]


class ConfirmForm(BaseForm):
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
