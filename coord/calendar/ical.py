"""Neutral events to RFC 5545 text: feeds (no METHOD) and iTIP messages (METHOD:REQUEST / CANCEL).

Times are written with TZID=America/Toronto and coord's own VTIMEZONE (see timezone.py), so a series
keeps its local hour across daylight-saving changes in every client. In a feed DTSTAMP is the event's
LAST-MODIFIED, which keeps an unchanged feed byte-for-byte identical (and its ETag stable).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext
from icalendar import Calendar, Event, vCalAddress, vDuration, vRecur, vText, vUri

from coord.calendar.events import CalendarEvent, Status, Visibility, confidential_title
from coord.calendar.timezone import TZID, vtimezone
from coord.core.localtime import LOCAL_TZ, utcnow
from coord.core.urls import absolute_url

PRODID = "-//SPHERES Montreal//coord//FR"
REFRESH_INTERVAL = timedelta(hours=1)
_STATUS = {Status.CONFIRMED: "CONFIRMED", Status.TENTATIVE: "TENTATIVE", Status.CANCELLED: "CANCELLED"}


def _calendar(name: str | None = None, method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("name", name)  # RFC 7986
        calendar.add("x-wr-calname", name)
        calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
        calendar.add("x-wr-timezone", TZID)
    calendar.add_component(vtimezone())
    return calendar


def _local(instant: datetime) -> datetime:
    return instant.astimezone(LOCAL_TZ)


@dataclass(frozen=True)
class Labels:
    """The translated words events are written with, looked up once per feed (not once per event)."""

    video_link: str  # "Video link: %(url)s"
    details: str  # "Details: %(url)s"
    confidential_title: str

    @classmethod
    def current(cls) -> Labels:
        """In the current locale (inside force_locale for a feed's language)."""
        return cls(
            gettext("Video link: %(url)s", url="%(url)s"),
            gettext("Details: %(url)s", url="%(url)s"),
            confidential_title(),
        )


def _description(event: CalendarEvent, url: str, labels: Labels) -> str:
    parts = [event.description.strip()] if event.description.strip() else []
    if event.video_url:
        parts.append(labels.video_link.replace("%(url)s", event.video_url))
    parts.append(labels.details.replace("%(url)s", url))
    return "\n\n".join(parts)


def vevent(event: CalendarEvent, dtstamp: datetime | None = None, labels: Labels | None = None) -> Event:
    """One VEVENT; `event` must already be redacted."""
    labels = labels or Labels.current()
    url = absolute_url(event.url)
    component = Event()
    component.add("uid", event.uid)
    component.add("dtstamp", dtstamp or event.last_modified)
    if event.recurrence_id is not None:
        component.add("recurrence-id", _local(event.recurrence_id))
    component.add("dtstart", _local(event.start))
    component.add("dtend", _local(event.end))
    component.add("summary", vText(event.title))
    if event.location:
        component.add("location", vText(event.location))
    component.add("description", vText(_description(event, url, labels)))
    component.add("url", vUri(url), parameters={"VALUE": "URI"})
    if event.video_url:
        component.add("conference", vUri(event.video_url), parameters={"VALUE": "URI", "FEATURE": "VIDEO"})
    component.add("status", _STATUS[event.status])
    component.add("sequence", event.sequence)
    if event.created is not None:
        component.add("created", event.created)
    component.add("last-modified", event.last_modified)
    component.add("transp", "TRANSPARENT" if event.is_cancelled else "OPAQUE")
    if event.visibility is Visibility.CONFIDENTIAL:
        component.add("class", "CONFIDENTIAL")
    if event.rrule:
        component.add("rrule", vRecur.from_ical(event.rrule))
        if event.exdates:
            component.add("exdate", [_local(instant) for instant in sorted(event.exdates)])
    return component


def _components(
    event: CalendarEvent, dtstamp: datetime | None, labels: Labels | None = None
) -> Iterable[Event]:
    labels = labels or Labels.current()
    yield vevent(event, dtstamp, labels)
    for override in event.overrides:
        yield vevent(override, dtstamp, labels)


def render_feed(events: Iterable[CalendarEvent], name: str) -> bytes:
    """A subscription feed: every event (already redacted) with its overrides, in one piece."""
    calendar = _calendar(name=name)
    for event in events:
        for component in _components(event, None):
            calendar.add_component(component)
    return calendar.to_ical()


FEED_END = b"END:VCALENDAR\r\n"


def feed_head(name: str) -> bytes:
    """The start of a feed, as icalendar writes it: the calendar's properties and the VTIMEZONE. A feed is
    this, then `event_text` of each event, then FEED_END: the same bytes as `render_feed`."""
    text = _calendar(name=name).to_ical()
    if not text.endswith(FEED_END):
        raise ValueError("icalendar ended the calendar unexpectedly")
    return text[: -len(FEED_END)]


def event_text(event: CalendarEvent, labels: Labels) -> bytes:
    """One event (already redacted) of a feed, with its overrides: its VEVENTs as icalendar writes them."""
    return b"".join(component.to_ical() for component in _components(event, None, labels))


def render_itip(event: CalendarEvent, method: str, attendee_email: str, attendee_name: str) -> bytes:
    """An iTIP message (RFC 5546) for one invitee: REQUEST on publication or change, CANCEL on cancelling."""
    calendar = _calendar(method=method)
    organizer = vCalAddress(f"mailto:{current_app.config['CALENDAR_ORGANIZER_EMAIL']}")
    organizer.params["CN"] = vText(current_app.config["CALENDAR_ORGANIZER_NAME"])
    attendee = vCalAddress(f"mailto:{attendee_email}")
    attendee.params.update(
        {"CN": vText(attendee_name), "ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION", "RSVP": "FALSE"}
    )
    now = utcnow()
    for component in _components(event, now):
        if method == "CANCEL":
            component["status"] = "CANCELLED"
        component.add("organizer", organizer)
        component.add("attendee", attendee)
        calendar.add_component(component)
    return calendar.to_ical()
