"""Awareness sessions: requests from schools, youth centres and other milieux; presenters; bookings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coord.core.module import Module, NavEntry
from coord.outreach import models, permissions, request_views

MODULE = Module(
    name="outreach",
    models=(models,),
    permissions=(permissions,),
    blueprints=(request_views.bp,),
    navigation=(NavEntry("outreach.mine", _l("Awareness sessions"), "outreach.request_home", order=40),),
    home_cards=(request_views.home_card,),
    secret_url_prefixes=(r"/outreach/follow/",),
)
