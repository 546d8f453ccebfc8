"""Committee meetings: series, agendas, attendance, minutes, decisions, actions, printed documents."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coord.core.module import DemoSeed, Module, NavEntry
from coord.meetings import (
    actions_views,
    agenda_views,
    blueprint,
    calendar,
    confirm_views,
    demo,
    document_views,
    listing_views,
    meeting_views,
    minutes_views,
    models,
    permissions,
    samples,
    series_views,
)

# The routes of the "meetings" blueprint live in these modules: importing them registers the routes.
MEETINGS_ROUTES = (listing_views, meeting_views, series_views, confirm_views)

MODULE = Module(
    name="meetings",
    blueprints=(blueprint.bp, agenda_views.bp, minutes_views.bp, actions_views.bp, document_views.bp),
    models=(models,),
    permissions=(permissions,),
    calendar_sources=(calendar.SOURCE,),
    calendar_scopes=(calendar.COMMITTEE_SCOPE,),
    event_kinds=((calendar.MEETING, _l("Meeting")),),
    navigation=(
        NavEntry("meetings.index", _l("Meetings"), "meetings.list", order=30),
        NavEntry("meetings_actions.mine", _l("My actions"), None, order=40),
    ),
    demo=DemoSeed(demo.seed, after=("directory",)),
    route_samples=samples.route_samples,
)
