"""Participants, consents, referrals between partners, and the Law 25 registers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coord.core.module import Module, NavEntry
from coord.referrals import models, participant_views, permissions, referral_views, register_views, samples

MODULE = Module(
    name="referrals",
    blueprints=(participant_views.bp, referral_views.bp, register_views.bp),
    models=(models,),
    permissions=(permissions,),
    route_samples=samples.route_samples,
    navigation=(
        NavEntry("referrals.incoming", _l("Referrals"), "referrals.menu", order=45),
        NavEntry("referrals.board", _l("Referral board"), "referrals.board", order=46),
    ),
)
