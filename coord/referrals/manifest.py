"""Participants, consents, referrals between partners, and the Law 25 registers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coord.core.module import Module, NavEntry
from coord.referrals import (
    consents,
    expiry,
    models,
    participant_views,
    permissions,
    referral_views,
    register_views,
    samples,
)

MODULE = Module(
    name="referrals",
    blueprints=(participant_views.bp, referral_views.bp, register_views.bp),
    models=(models,),
    permissions=(permissions,),
    jobs=(consents, expiry),  # the e-mail context builder (consents), the consent expiry sweep (expiry)
    navigation=(
        NavEntry("referrals_participants.index", _l("Participants"), "referrals.participants.list", order=35),
    ),
    route_samples=samples.route_samples,
)
