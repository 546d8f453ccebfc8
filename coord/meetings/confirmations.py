"""What the confirmation pages before the meetings' destructive or mass-mailing actions say (page services:
the same permission checks as the actions, nothing written; see coord/core/confirm.py)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.exceptions import NotFound

from coord.core.confirm import Step
from coord.core.errors import ServiceError
from coord.core.localtime import utcnow
from coord.core.permissions import require
from coord.directory.models import Person
from coord.meetings.agenda import editable_meeting
from coord.meetings.calendar import invitees
from coord.meetings.meeting_services import find_meeting
from coord.meetings.minutes_page import readable_minutes
from coord.meetings.models import MeetingStatus, MinutesState
from coord.meetings.series_services import find_series, is_occurrence, occurrence_row


def _invited(count: int) -> str:
    return ngettext(
        "%(num)d person will receive an invitation by e-mail.",
        "%(num)d people will receive an invitation by e-mail.",
        count,
    )


def _told_of_cancellation(count: int, published: bool) -> str:
    if not published:
        return _("Nobody was invited yet: nobody will be told.")
    return ngettext(
        "%(num)d person will be told by e-mail that it is cancelled.",
        "%(num)d people will be told by e-mail that it is cancelled.",
        count,
    )


def publish_meeting(actor: Person, meeting_id: int) -> Step:
    meeting = find_meeting(meeting_id)
    require(actor, "meetings.edit", meeting.committee)
    if meeting.series_id is not None:
        raise ServiceError(_("Publish the series instead."))
    if meeting.is_published:
        raise ServiceError(_("This meeting is already published."))
    return Step(
        question=_("Publish “%(title)s” and invite its people?", title=meeting.title),
        button=_("Publish and invite"),
        consequences=[_invited(len(invitees(meeting))), _("The meeting goes on their calendars.")],
    )


def cancel_meeting(actor: Person, meeting_id: int) -> Step:
    meeting = find_meeting(meeting_id)
    require(actor, "meetings.edit", meeting.committee)
    if meeting.is_cancelled:
        raise ServiceError(_("This meeting is already cancelled."))
    if meeting.ends_at <= utcnow():
        raise ServiceError(_("This meeting is over: it can no longer be cancelled."))
    return Step(
        question=_("Cancel “%(title)s”?", title=meeting.title),
        button=_("Cancel this meeting"),
        consequences=[
            _told_of_cancellation(len(invitees(meeting)), meeting.is_published),
            _("A cancelled meeting cannot be restored."),
        ],
        danger=True,
    )


def publish_series(actor: Person, series_id: int) -> Step:
    series = find_series(series_id)
    require(actor, "meetings.edit", series.committee)
    if series.published_at is not None:
        raise ServiceError(_("This series is already published."))
    return Step(
        question=_("Publish the series “%(title)s” and invite its people?", title=series.title),
        button=_("Publish and invite"),
        consequences=[
            _invited(len(invitees(series))),
            _("Every meeting of the series goes on their calendars."),
        ],
    )


def cancel_series(actor: Person, series_id: int) -> Step:
    series = find_series(series_id)
    require(actor, "meetings.edit", series.committee)
    if series.status == MeetingStatus.CANCELLED:
        raise ServiceError(_("This series is already cancelled."))
    return Step(
        question=_("Cancel the whole series “%(title)s”?", title=series.title),
        button=_("Cancel the whole series"),
        consequences=[
            _("Every meeting still to come is cancelled; past meetings and their minutes stay."),
            _told_of_cancellation(len(invitees(series)), series.published_at is not None),
        ],
        danger=True,
    )


def cancel_occurrence(actor: Person, series_id: int, original_start: datetime) -> Step:
    series = find_series(series_id)
    require(actor, "meetings.edit", series.committee)
    row = occurrence_row(series, original_start)
    if row is None and not is_occurrence(series, original_start):
        raise NotFound()
    return Step(
        question=_("Cancel this meeting of “%(title)s” only?", title=series.title),
        button=_("Cancel this meeting only"),
        consequences=[
            _("The other meetings of the series stay."),
            _told_of_cancellation(len(invitees(row or series)), series.published_at is not None),
        ],
        danger=True,
    )


def delete_item(actor: Person, meeting_id: int, item_id: int) -> Step:
    meeting = editable_meeting(actor, meeting_id)
    item = next((item for item in meeting.agenda_items if item.id == item_id), None)
    if item is None:
        raise NotFound()
    return Step(
        question=_("Delete the item “%(title)s”?", title=item.title),
        button=_("Delete this item"),
        consequences=[_("The item leaves the agenda; the others are numbered again. This cannot be undone.")],
        danger=True,
    )


def publish_agenda(actor: Person, meeting_id: int) -> Step:
    meeting = editable_meeting(actor, meeting_id)
    count = len(invitees(meeting))
    updated = meeting.agenda_published_at is not None
    return Step(
        question=_("Send the updated agenda?") if updated else _("Publish the agenda?"),
        button=_("Send the updated agenda to the invitees")
        if updated
        else _("Publish the agenda and notify the invitees"),
        consequences=[
            ngettext(
                "%(num)d person will receive the agenda by e-mail.",
                "%(num)d people will receive the agenda by e-mail.",
                count,
            )
        ],
    )


def circulate_minutes(actor: Person, meeting_id: int) -> Step:
    minutes = readable_minutes(actor, meeting_id)
    require(actor, "meetings.minutes.edit", minutes)
    if minutes.state != MinutesState.DRAFT:
        raise ServiceError(_("These minutes were already circulated."))
    count = len(invitees(minutes.meeting))
    return Step(
        question=_("Circulate the minutes?"),
        button=_("Circulate to the people invited")
        if minutes.meeting.is_hosted
        else _("Circulate to the members"),
        consequences=[
            ngettext(
                "%(num)d person will be told by e-mail that the minutes can be read and commented on.",
                "%(num)d people will be told by e-mail that the minutes can be read and commented on.",
                count,
            )
        ],
    )


def approve_minutes(actor: Person, meeting_id: int) -> Step:
    minutes = readable_minutes(actor, meeting_id)
    require(actor, "meetings.minutes.approve", minutes)
    if minutes.state != MinutesState.CIRCULATED:
        raise ServiceError(
            _("These minutes are already approved.")
            if minutes.state == MinutesState.APPROVED
            else _("Circulate the minutes before approving them.")
        )
    return Step(
        question=_("Approve the minutes?"),
        button=_("Approve the minutes"),
        consequences=[
            _("Approved minutes are locked: changing them afterwards takes a correction with its reason.")
        ],
    )
