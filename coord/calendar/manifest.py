"""The calendar: pages, feeds, invitations, answers and reminders for every module's events."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coord.calendar import answer_views, feed_views, invitations, models, registry, reminders, samples, views
from coord.core.module import Module, NavEntry

MODULE = Module(
    name="calendar",
    blueprints=(views.bp, feed_views.bp, answer_views.bp),
    models=(models,),
    jobs=(reminders, invitations),
    navigation=(NavEntry("calendar.index", _l("Calendar"), None, order=20),),
    secret_url_prefixes=(r"/feeds/(?!public/)", r"/answer/"),
    sessionless_url_prefixes=(r"/feeds/",),  # polled by calendar programs, which hold no session
    route_samples=samples.route_samples,
    setup=registry.install,  # reads every module's calendar sources, scopes and kinds
)
