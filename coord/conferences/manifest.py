"""Case conferences (rencontres de concertation): confidential meetings between the partners involved."""

from __future__ import annotations

from coord.conferences import calendar, demo, models, permissions, samples, views
from coord.core.module import DemoSeed, Module

MODULE = Module(
    name="conferences",
    blueprints=(views.bp,),
    models=(models,),
    permissions=(permissions,),
    calendar=(calendar,),
    demo=DemoSeed(demo.seed, after=("directory",)),
    route_samples=samples.route_samples,
)
