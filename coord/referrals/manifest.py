"""Participants, consents, referrals between partners, and the Law 25 registers."""

from __future__ import annotations

from coord.core.module import Module
from coord.referrals import models, participant_views, permissions, referral_views, register_views, samples

MODULE = Module(
    name="referrals",
    blueprints=(participant_views.bp, referral_views.bp, register_views.bp),
    models=(models,),
    permissions=(permissions,),
    route_samples=samples.route_samples,
)
