"""Real values for the calendar's URL variables (for the garbage sweep): the coordinator's feed link, an
answer link, and the first registered scope with an id."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from coord.calendar import answers, feed_links
from coord.calendar.registry import scope_types
from coord.calendar.sources import PERSON, Window, events_with_invitees
from coord.core.localtime import utcnow
from coord.directory.models import Person
from coord.extensions import db


def route_samples() -> dict[str, object]:
    """May add the coordinator's personal feed link (flushed; the caller commits)."""
    coordinator = db.session.scalar(select(Person).where(Person.active).order_by(Person.id))
    link = feed_links.ensure_link(coordinator, PERSON)
    db.session.flush()
    samples: dict[str, object] = {
        "link_id": link.id,
        "calendar_feeds.private_feed:token": feed_links.token(link),
    }
    with_id = [scope for scope in scope_types() if scope.has_id]
    if with_id:
        offered = [obj for obj in with_id[0].offered(coordinator) if obj is not None]
        samples["calendar.scope:name"] = with_id[0].name
        if offered:
            samples["scope_id"] = offered[0].id
    now = utcnow()
    for event, people in events_with_invitees(Window(now, now + timedelta(days=200))):
        if people:
            samples["calendar_answers.answer:token"] = answers.answer_token(event.uid, people[0].id)
            break
    return samples
