"""What the confirmation pages before removing a committee member and deactivating a person say (page
services: the same permission checks as the actions, nothing written; see coord/core/confirm.py)."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from coord.core.confirm import Step
from coord.core.permissions import require
from coord.directory.models import Committee, CommitteeMembership, Person
from coord.directory.people import get_person
from coord.extensions import db


def remove_member(actor: Person, committee_id: int, person_id: int) -> Step:
    require(actor, "directory.committees.manage")
    committee = db.get_or_404(Committee, committee_id)
    require(actor, "directory.committees.manage", committee)
    membership = db.session.scalar(
        select(CommitteeMembership).where(
            CommitteeMembership.committee_id == committee.id, CommitteeMembership.person_id == person_id
        )
    )
    if membership is None:
        raise NotFound()
    name, of = membership.person.display_name, committee.name_for(str(get_locale().language))
    return Step(
        question=_("Remove %(name)s from %(committee)s?", name=name, committee=of),
        button=_("Remove from the committee"),
        consequences=[
            _("%(name)s will no longer be invited to the committee's meetings.", name=name),
        ],
        danger=True,
    )


def deactivate_person(actor: Person, person_id: int) -> Step:
    person = get_person(actor, person_id)
    require(actor, "directory.people.deactivate", person)
    return Step(
        question=_("Deactivate %(name)s?", name=person.display_name),
        button=_("Deactivate"),
        consequences=[
            _("%(name)s is signed out everywhere and can no longer sign in.", name=person.display_name),
            _("Their links (invitations, password resets, calendar feeds) stop working."),
            _("You can reactivate them later from this page."),
        ],
        danger=True,
    )
