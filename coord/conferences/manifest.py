"""Case conferences (rencontres de concertation): confidential meetings between the partners involved."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coord.conferences import calendar, demo, models, permissions, record, samples, views
from coord.core.module import DemoSeed, Module, NavEntry

# Imported for its registration: the host of the conferences' agenda-and-minutes records.
HOSTS = (record,)

MODULE = Module(
    name="conferences",
    blueprints=(views.bp,),
    models=(models,),
    permissions=(permissions,),
    navigation=(NavEntry("conferences.mine", _l("My case conferences"), "conferences.list", order=45),),
    calendar_sources=(calendar.SOURCE,),
    event_kinds=((calendar.CASE_CONFERENCE, _l("Case conference")),),
    # At merge: after=("directory", "meetings", "referrals"), once the referrals module seeds its demo (the
    # demo participant with a consent for case conferences); without it, this demo records its own.
    demo=DemoSeed(demo.seed, after=("directory", "meetings")),
    route_samples=samples.route_samples,
)
