"""Who may do what with awareness sessions.

The coordinator runs the bookings. A presenter sees the sessions they are assigned to. A signed-in person
who asked for a session sees it, and so do the requesters and partners of the organization it was asked
for (a role and the organization together, never one of them alone). Outside organizations use their
signed link (coord.outreach.links), which needs no rule. The researcher and the administrator see no
request: contact details are personal information.
"""

from __future__ import annotations

import sqlalchemy as sa

from coord.core.permissions import rule
from coord.directory.models import Person, Role
from coord.extensions import db
from coord.outreach.models import OutreachRequest, Presenter

ASKING_ROLES = (Role.REQUESTER, Role.PARTNER, Role.INTERVENANT, Role.COORDINATOR)


def _coordinator(actor: Person) -> bool:
    return actor.active and actor.has_role(Role.COORDINATOR)


def presents(actor: Person, request: OutreachRequest) -> bool:
    return any(
        assignment.active and assignment.presenter.person_id == actor.id for assignment in request.assignments
    )


def asked_for(actor: Person, request: OutreachRequest) -> bool:
    """The person who asked, or a requester or partner of the organization the session is for."""
    if request.requested_by_id == actor.id:
        return True
    return (
        request.organization_id is not None
        and request.organization_id == actor.organization_id
        and actor.has_role(Role.REQUESTER, Role.PARTNER)
    )


@rule("outreach.manage")
def _manage(actor: Person, obj: None) -> bool:
    """Presenters, availability, settings, and every request's workflow: the coordinator."""
    return _coordinator(actor)


@rule("outreach.request")
def _request(actor: Person, obj: None) -> bool:
    """Ask for a session while signed in (outside people use the public form)."""
    return actor.active and actor.has_role(*ASKING_ROLES)


@rule("outreach.mine")
def _mine(actor: Person, obj: None) -> bool:
    """The list of the organization's own requests (requesters and partners) or the sessions one presents."""
    return actor.active and actor.has_role(*ASKING_ROLES)


@rule("outreach.view", guards=OutreachRequest)
def _view(actor: Person, request: OutreachRequest) -> bool:
    if _coordinator(actor):
        return True
    if not actor.active or actor.has_role(Role.RESEARCHER, Role.ADMIN):
        return False
    return presents(actor, request) or asked_for(actor, request)


@rule("outreach.record_outcome", guards=OutreachRequest)
def _record_outcome(actor: Person, request: OutreachRequest) -> bool:
    """The coordinator, or a presenter of the session."""
    return _coordinator(actor) or (actor.active and presents(actor, request))


@rule("outreach.cancel_own", guards=OutreachRequest)
def _cancel_own(actor: Person, request: OutreachRequest) -> bool:
    """Cancel or ask to reschedule from the requester's side, signed in."""
    return actor.active and asked_for(actor, request)


@rule("outreach.present")
def _present(actor: Person, obj: None) -> bool:
    """A published presenter's own list of sessions (added by the engine part)."""
    if not actor.active:
        return False
    query = sa.select(Presenter.id).where(Presenter.person_id == actor.id, Presenter.active.is_(True))
    return db.session.scalar(query) is not None


@rule("outreach.request_home")
def _request_home(actor: Person, _none: None = None) -> bool:
    """Someone who asks for sessions rather than runs them: the home page's card and the menu entry to
    their requests (the coordinator has the program's own pages)."""
    return actor.active and actor.has_role(*ASKING_ROLES) and not actor.has_role(Role.COORDINATOR)
