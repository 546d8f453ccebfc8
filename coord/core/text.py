"""Control characters in the text people type: refused in forms (see `coord.core.forms`) and in services.

A single-line field (a title, a name, a place, an address) takes no C0 control character (TAB, CR and LF
included), no DEL, no C1 control character and no Unicode line or paragraph separator: such text ends up
in e-mail headers, iCalendar lines and one-line displays, where a line break splits or forges them. A
multi-line field (notes, descriptions, comments) keeps its line breaks (CR, LF) and tabs, and refuses the
other control characters.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from coord.core.errors import ServiceError

SINGLE_LINE_REFUSED = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
MULTI_LINE_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

SINGLE_LINE_MESSAGE = _l(
    "This field takes one line of text: remove the line breaks, tabs and other control characters."
)
MULTI_LINE_MESSAGE = _l(
    "Remove the control characters (invisible characters other than line breaks and tabs)."
)


def breaks_single_line(value: object) -> bool:
    return isinstance(value, str) and SINGLE_LINE_REFUSED.search(value) is not None


def breaks_multi_line(value: object) -> bool:
    return isinstance(value, str) and MULTI_LINE_REFUSED.search(value) is not None


def check_single_line(value: str | None, field: str | None = None) -> None:
    """Raise ServiceError (naming `field`) when a single-line value holds a control character."""
    if breaks_single_line(value):
        raise ServiceError(SINGLE_LINE_MESSAGE, field)


def check_multi_line(value: str | None, field: str | None = None) -> None:
    """Raise ServiceError (naming `field`) when a multi-line value holds a control character other than
    CR, LF or TAB."""
    if breaks_multi_line(value):
        raise ServiceError(MULTI_LINE_MESSAGE, field)


SPACES = re.compile(r"[^\S\u00a0\u202f]+")


def one_line(value: str) -> str:
    """The value with control characters and line breaks as single spaces (for headers built from text
    stored before these checks existed)."""
    # Non-breaking spaces stay: French writes "Invitation\u00a0: …" (OQLF).
    return SPACES.sub(" ", SINGLE_LINE_REFUSED.sub(" ", value)).strip(" ")
