"""Case conferences (rencontres de concertation): confidential meetings between the partners involved."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coord.conferences import calendar, demo, models, permissions, samples, views
from coord.core.module import DemoSeed, Module

MODULE = Module(
    name="conferences",
    blueprints=(views.bp,),
    models=(models,),
    permissions=(permissions,),
    calendar_sources=(calendar.SOURCE,),
    event_kinds=((calendar.CASE_CONFERENCE, _l("Case conference")),),
    demo=DemoSeed(demo.seed, after=("directory",)),
    route_samples=samples.route_samples,
)
