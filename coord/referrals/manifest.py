"""Participants, consents, referrals between partners, and the Law 25 registers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coord.core.module import DemoSeed, Module, NavEntry
from coord.referrals import (
    cli,
    consents,
    demo,
    expiry,
    jobs,
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
    jobs=(jobs, consents, expiry),  # the purge, the consent e-mail's context builder, the expiry sweep
    navigation=(
        NavEntry("referrals_participants.index", _l("Participants"), "referrals.participants.list", order=35),
        NavEntry("referrals.incoming", _l("Referrals"), "referrals.menu", order=45),
        NavEntry("referrals.board", _l("Referral board"), "referrals.board", order=46),
        NavEntry("referrals_registers.index", _l("Registers"), "referrals.registers.read", order=80),
    ),
    cli=cli.register,
    demo=DemoSeed(demo.seed, after=("directory",)),
    route_samples=samples.route_samples,
)
