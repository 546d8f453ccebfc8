"""The training calendar: the annual offer, sessions, registration with a waiting list, attendance and
attestations, and organizations' requests for a training."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coord.core.module import Module, NavEntry
from coord.training import (  # noqa: F401  audit_labels: imported for its registration
    attendance_views,
    audit_labels,
    blueprint,
    calendar,
    models,
    offers,
    permissions,
    registration_messages,
    registration_views,
    reminders,
    session_views,
)

# Routes on the two blueprints, one module per part of the module's pages: importing them registers them.
ROUTES = (session_views, registration_views, attendance_views)

MODULE = Module(
    name="training",
    blueprints=(blueprint.bp, blueprint.public_bp),
    models=(models,),
    permissions=(permissions,),
    # Registration's @periodic tasks (reminders, offers' expiry) and e-mail context builders.
    jobs=(reminders, offers, registration_messages),
    navigation=(NavEntry("training.mine", _l("My trainings"), "training.mine", order=45),),
    home_cards=(registration_views.home_card,),
    calendar_sources=(calendar.SOURCE,),
    calendar_scopes=(calendar.SCOPE,),
    event_kinds=((calendar.TRAINING, _l("Training")),),
    # The outside registrant's links (coord.training.links): verification, own page, seat offer.
    secret_url_prefixes=(r"/trainings/verify/", r"/trainings/follow/", r"/trainings/claim/"),
)
