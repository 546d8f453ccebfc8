"""What a coordinator reads after publishing or cancelling: who was told, counted with real plurals."""

from __future__ import annotations

from flask_babel import gettext, ngettext


def published(count: int) -> str:
    if count == 0:  # a second click, or a second coordinator: the first one sent them
        return gettext("Already published: no invitation is sent again.")
    return ngettext("Published: %(num)d invitation sent.", "Published: %(num)d invitations sent.", count)


def meeting_cancelled(count: int) -> str:
    if count == 0:
        return gettext("Meeting cancelled. No invitation had been sent, so nobody is told.")
    return ngettext(
        "Meeting cancelled. %(num)d invitee is told.", "Meeting cancelled. %(num)d invitees are told.", count
    )


def series_cancelled(count: int) -> str:
    if count == 0:
        return gettext("Series cancelled. No invitation had been sent, so nobody is told.")
    return ngettext(
        "Series cancelled. %(num)d invitee is told.", "Series cancelled. %(num)d invitees are told.", count
    )
