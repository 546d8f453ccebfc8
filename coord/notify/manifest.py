"""The outbox: e-mails queued with each change, sent by the worker or in-process, and their page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coord.core.module import Module, NavEntry
from coord.notify import cli, models, permissions, samples, views

MODULE = Module(
    name="notify",
    blueprints=(views.bp,),
    models=(models,),
    permissions=(permissions,),
    navigation=(NavEntry("notify.index", _l("Outbox"), "outbox.manage", order=95),),
    cli=cli.register_notify_cli,
    route_samples=samples.route_samples,
)
