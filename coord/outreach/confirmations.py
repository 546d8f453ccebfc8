"""What the confirmation pages before declining a request and cancelling a session say (page services: the
same permission checks as coord.outreach.workflow, nothing written; see coord/core/confirm.py)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from coord.core.confirm import Step
from coord.core.permissions import require
from coord.directory.models import Person
from coord.outreach.models import RequestState
from coord.outreach.workflow import find_request


def decline(actor: Person, ref: str) -> Step:
    request = find_request(ref)
    require(actor, "outreach.manage")
    return Step(
        question=_("Decline the request of %(organization)s?", organization=request.organization_name),
        button=_("Decline the request"),
        consequences=[
            _("%(name)s is told by e-mail, with your reason.", name=request.contact_name),
            _("The time it held, if any, is freed."),
        ],
        danger=True,
    )


def cancel(actor: Person, ref: str, by_requester: bool) -> Step:
    request = find_request(ref)
    if by_requester:
        require(actor, "outreach.cancel_own", request)
    else:
        require(actor, "outreach.manage")
    consequences = [_("%(name)s is told by e-mail, with your reason.", name=request.contact_name)]
    if request.state == RequestState.CONFIRMED and request.presenters:
        count = len(request.presenters)
        consequences.append(
            ngettext(
                "%(num)d presenter is told too, and the time is taken off their calendar.",
                "%(num)d presenters are told too, and the time is taken off their calendars.",
                count,
            )
        )
    return Step(
        question=_("Cancel the session of %(organization)s?", organization=request.organization_name),
        button=_("Cancel the session"),
        consequences=consequences,
        danger=True,
    )
