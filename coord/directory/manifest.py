"""The directory module: organizations, people, roles, committees, authentication, the audit log page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coord.core.module import DemoSeed, Module, NavEntry
from coord.directory import (
    account_views,
    audit_views,
    auth_views,
    cli,
    confirm_views,
    demo,
    emails,
    models,
    permissions,
    samples,
    setup,
    views,
)

# Routes that live outside views.py: importing them registers them on its blueprint.
DIRECTORY_ROUTES = (confirm_views,)

MODULE = Module(
    name="directory",
    blueprints=(views.bp, auth_views.bp, account_views.bp, audit_views.bp),
    models=(models,),
    permissions=(permissions,),
    jobs=(emails,),
    navigation=(
        NavEntry("directory.committees", _l("Committees"), "directory.committees.view", order=60),
        NavEntry("directory.people", _l("People"), "directory.people.manage", order=70),
        NavEntry("directory.organizations", _l("Organizations"), "directory.organizations.manage", order=80),
        NavEntry("directory_audit.index", _l("Audit log"), "audit.read", order=90),
    ),
    cli=cli.register,
    demo=DemoSeed(demo.seed),
    secret_url_prefixes=(r"/password/reset/", r"/invitation/", r"/email/confirm/"),
    setup=setup.setup,
    route_samples=samples.route_samples,
    links={
        "account": "directory_account.index",
        "login": "directory_auth.login",
        "logout": "directory_auth.logout",
    },
)
