"""Who may do what with trainings.

The coordinator runs the calendar: the catalogue, sessions, registering others, requests. A trainer marks
attendance and sees the registrants of the sessions they give. People of the partner organizations register
themselves (a role and a partner organization together, never one of them alone); a session open to outside
organizations takes anyone signed in who may ask for services, and outside people from the public page (their
signed links need no rule). The researcher and the administrator see no registrant: names and addresses are
personal information.
"""

from __future__ import annotations

from coord.core.permissions import rule
from coord.directory.models import Person, Role
from coord.training.models import Audience, Registration, TrainingSession

PARTNER_ROLES = (Role.INTERVENANT, Role.PARTNER, Role.COORDINATOR)
ASKING_ROLES = (Role.REQUESTER, Role.PARTNER, Role.INTERVENANT, Role.COORDINATOR)


def coordinator(actor: Person) -> bool:
    return actor.active and actor.has_role(Role.COORDINATOR)


def of_partner(actor: Person) -> bool:
    """Someone of a partner organization with a role that works with participants or partners."""
    organization = actor.organization
    return (
        actor.active
        and organization is not None
        and organization.is_partner
        and organization.active
        and actor.has_role(*PARTNER_ROLES)
    )


def trains(actor: Person, session: TrainingSession) -> bool:
    return actor.active and any(trainer.id == actor.id for trainer in session.trainers)


@rule("training.manage")
def _manage(actor: Person, obj: None = None) -> bool:
    """The catalogue, sessions, others' registrations, requests: the coordinator."""
    return coordinator(actor)


@rule("training.plan")
def _plan(actor: Person, obj: None = None) -> bool:
    """The annual plan (every session of the year, partners-only ones included)."""
    return coordinator(actor) or of_partner(actor) or (actor.active and actor.has_role(Role.REQUESTER))


@rule("training.mine")
def _mine(actor: Person, obj: None = None) -> bool:
    """One's own registrations and the sessions one gives."""
    return (actor.active and not actor.has_role(Role.RESEARCHER)) or coordinator(actor)


@rule("training.request")
def _request(actor: Person, obj: None = None) -> bool:
    """Ask for a training while signed in (outside organizations use the public form)."""
    return actor.active and actor.has_role(*ASKING_ROLES)


@rule("training.register_self", guards=TrainingSession)
def _register_self(actor: Person, session: TrainingSession) -> bool:
    """Register oneself: partners for any session, requesters for sessions open to outside organizations."""
    if session.audience == Audience.OPEN:
        return of_partner(actor) or (actor.active and actor.has_role(*ASKING_ROLES))
    return of_partner(actor)


@rule("training.teach", guards=TrainingSession)
def _teach(actor: Person, session: TrainingSession) -> bool:
    """The registrant list and attendance: the session's trainers and the coordinator."""
    return coordinator(actor) or trains(actor, session)


@rule("training.view_registration", guards=Registration)
def _view_registration(actor: Person, registration: Registration) -> bool:
    return coordinator(actor) or (actor.active and registration.person_id == actor.id)


@rule("training.cancel_registration", guards=Registration)
def _cancel_registration(actor: Person, registration: Registration) -> bool:
    """The person (until the session's deadline, checked by the service) or the coordinator."""
    return coordinator(actor) or (actor.active and registration.person_id == actor.id)
