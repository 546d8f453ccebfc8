"""Case conferences (rencontres de concertation): confidential meetings between the partners involved."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coord.conferences import (
    anonymize,
    calendar,
    coverage_watch,
    demo,
    models,
    permissions,
    record,
    samples,
    views,
)
from coord.core.module import DemoSeed, Module, NavEntry

# Imported for their registrations: the host of the conferences' agenda-and-minutes records, the anonymizer
# the retention purge calls, and what a narrowed consent does to upcoming conferences' invitees.
REGISTERED = (record, anonymize, coverage_watch)

MODULE = Module(
    name="conferences",
    blueprints=(views.bp,),
    models=(models,),
    permissions=(permissions,),
    navigation=(NavEntry("conferences.mine", _l("My case conferences"), "conferences.list", order=50),),
    calendar_sources=(calendar.SOURCE,),
    event_kinds=((calendar.CASE_CONFERENCE, _l("Case conference")),),
    # After the referrals' demo: the conference is about its participant with a consent for case conferences.
    demo=DemoSeed(demo.seed, after=("directory", "meetings", "referrals")),
    route_samples=samples.route_samples,
)
