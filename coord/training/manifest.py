"""The training calendar: the annual offer, sessions, registration with a waiting list, attendance and
attestations, and organizations' requests for a training."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coord.core.module import DemoSeed, Module, NavEntry
from coord.training import (  # noqa: F401  audit_labels: imported for its registration
    attendance_views,
    audit_labels,
    blueprint,
    calendar,
    demo,
    models,
    offers,
    permissions,
    registration_messages,
    registration_views,
    reminders,
    request_views,
    samples,
    session_views,
)

# Routes on the two blueprints, one module per part of the module's pages: importing them registers them.
ROUTES = (session_views, registration_views, attendance_views, request_views)

MODULE = Module(
    name="training",
    blueprints=(blueprint.bp, blueprint.public_bp),
    models=(models,),
    permissions=(permissions,),
    # Registration's @periodic tasks (reminders, offers' expiry) and e-mail context builders.
    jobs=(reminders, offers, registration_messages),
    navigation=(
        NavEntry("training.plan", _l("Trainings"), "training.plan", order=45),
        NavEntry("training.mine", _l("My trainings"), "training.mine", order=46),
        NavEntry("training.requests", _l("Training requests"), "training.manage", order=55),
    ),
    public_pages=(
        NavEntry("training_public.sessions", _l("Open trainings"), order=20),
        NavEntry("training_public.verify_attestation", _l("Check an attestation"), order=30),
    ),
    home_cards=(registration_views.home_card,),
    calendar_sources=(calendar.SOURCE,),
    calendar_scopes=(calendar.SCOPE,),
    event_kinds=((calendar.TRAINING, _l("Training")),),
    # After the seeds whose events fill the trainers' calendars (the sessions avoid them).
    demo=DemoSeed(demo.seed, after=("directory", "meetings", "conferences", "outreach")),
    route_samples=samples.route_samples,
    # The outside registrant's links (coord.training.links): verification, own page, seat offer.
    secret_url_prefixes=(r"/trainings/verify/", r"/trainings/follow/", r"/trainings/claim/"),
)
