"""Awareness sessions: requests from schools, youth centres and other milieux; presenters; bookings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coord.core.module import DemoSeed, Module, NavEntry
from coord.outreach import admin_views, demo, models, permissions, samples

MODULE = Module(
    name="outreach",
    blueprints=(admin_views.bp,),
    models=(models,),
    permissions=(permissions,),
    navigation=(
        NavEntry(
            "outreach_admin.requests",
            _l("Awareness"),
            "outreach.manage",
            order=50,
        ),
    ),
    demo=DemoSeed(demo.seed, after=("directory", "meetings", "conferences")),
    route_samples=samples.route_samples,
)
