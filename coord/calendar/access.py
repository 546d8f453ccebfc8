"""Who sees which calendar: the feeds and pages ask here, and the rules live in coord.permissions."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import get_locale, gettext

from coord.calendar.models import FeedKind, FeedLink
from coord.calendar.sources import Scope, ScopeKind
from coord.directory.models import Committee, CommitteeMembership, Person
from coord.extensions import db
from coord.permissions import may


def feed_scope(link: FeedLink) -> Scope | None:
    """The scope a link still gives access to, or None (membership or role lost since)."""
    person = link.person
    if link.kind == FeedKind.PERSONAL:
        return Scope(ScopeKind.PERSON, person.id)
    if link.kind == FeedKind.COMMITTEE and link.committee_id is not None:
        if is_member(person.id, link.committee_id):
            return Scope(ScopeKind.COMMITTEE, link.committee_id)
        return None
    if link.kind == FeedKind.OUTREACH and may(person, "calendar.outreach"):
        return Scope(ScopeKind.OUTREACH)
    return None


def feed_name(link: FeedLink) -> str:
    """The calendar's name in the subscriber's app (in the subscriber's language)."""
    from coord.calendar.feeds import feed_title

    return feed_title(feed_label(FeedKind(link.kind), link.committee, link.person.preferred_language))


def feed_label(kind: FeedKind, committee: Committee | None, language: str | None = None) -> str:
    if kind == FeedKind.COMMITTEE and committee is not None:
        return committee.name_for(language or str(get_locale().language))
    if kind == FeedKind.OUTREACH:
        return gettext("Awareness sessions")
    return gettext("My schedule")


def is_member(person_id: int, committee_id: int) -> bool:
    """A committee feed follows current membership only (staff roles do not extend it)."""
    return (
        db.session.scalar(
            sa.select(CommitteeMembership.id).where(
                CommitteeMembership.person_id == person_id, CommitteeMembership.committee_id == committee_id
            )
        )
        is not None
    )


def available_feeds(person: Person) -> list[tuple[FeedKind, Committee | None]]:
    """Every feed this person may subscribe to, personal first."""
    feeds: list[tuple[FeedKind, Committee | None]] = [(FeedKind.PERSONAL, None)]
    committees = sorted((m.committee for m in person.memberships), key=lambda c: c.name_fr)
    feeds += [(FeedKind.COMMITTEE, c) for c in committees if c.active]
    if may(person, "calendar.outreach"):
        feeds.append((FeedKind.OUTREACH, None))
    return feeds
