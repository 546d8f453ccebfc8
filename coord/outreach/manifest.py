"""Awareness sessions: requests from schools, youth centres and other milieux; presenters; bookings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coord.core.module import DemoSeed, Module, NavEntry
from coord.outreach import (  # noqa: F401  audit_labels: imported for its registration
    admin_views,
    audit_labels,
    calendar,
    confirm_views,
    demo,
    messages,
    models,
    permissions,
    reminders,
    request_views,
    samples,
    session_views,
)

# Routes that live outside the *_views named below: importing them registers them on those blueprints.
OUTREACH_ROUTES = (confirm_views,)

MODULE = Module(
    name="outreach",
    blueprints=(request_views.bp, session_views.bp, admin_views.bp),
    models=(models,),
    permissions=(permissions,),
    # @periodic reminders (7 days and 1 day before) and the e-mails' @context_builder (the signed link).
    jobs=(reminders, messages),
    navigation=(
        NavEntry("outreach.mine", _l("Awareness sessions"), "outreach.request_home", order=40),
        NavEntry("outreach_admin.requests", _l("Awareness"), "outreach.manage", order=50),
        NavEntry("outreach_sessions.mine", _l("My awareness sessions"), "outreach.present", order=60),
    ),
    public_pages=(NavEntry("outreach.new_request", _l("Ask for an awareness session"), order=10),),
    home_cards=(request_views.home_card,),
    calendar_sources=(calendar.SOURCE,),
    calendar_scopes=(calendar.SCOPE,),
    event_kinds=((calendar.OUTREACH, _l("Awareness session")),),
    # The requester's signed link (coord.outreach.links) and its action paths.
    secret_url_prefixes=(r"/outreach/follow/",),
    demo=DemoSeed(demo.seed, after=("directory", "meetings", "conferences")),
    route_samples=samples.route_samples,
)
