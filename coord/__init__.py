"""coord: the coordination and scheduling service of the SPHÈRES program."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from coord.config import load_config
from coord.extensions import babel, csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    load_config(app, test_config)
    if app.config["PROXY_FIX_HOPS"]:
        hops = int(app.config["PROXY_FIX_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    _init_extensions(app)
    _register_blueprints(app)
    _register_hooks(app)

    from coord.cli import register_cli

    register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    from coord.i18n import select_locale, select_timezone
    from coord.models import import_all_models

    import_all_models()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)
    login_manager.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from coord.security import BoundedIntConverter

    app.url_map.converters["int"] = BoundedIntConverter
    from coord.audit_views import bp as audit_bp
    from coord.calendar.answer_views import bp as answer_bp
    from coord.calendar.feed_views import bp as feeds_bp
    from coord.calendar.views import bp as calendar_bp
    from coord.conferences.views import bp as conferences_bp
    from coord.directory.account_views import bp as account_bp
    from coord.directory.auth_views import bp as auth_bp
    from coord.directory.views import bp as directory_bp
    from coord.health import bp as health_bp
    from coord.home.views import bp as home_bp
    from coord.meetings.actions_views import bp as actions_bp
    from coord.meetings.agenda_views import bp as agenda_bp
    from coord.meetings.document_views import bp as documents_bp
    from coord.meetings.minutes_views import bp as minutes_bp
    from coord.meetings.views import bp as meetings_bp
    from coord.notify.views import bp as notify_bp

    for blueprint in (home_bp, auth_bp, account_bp, directory_bp, audit_bp, health_bp, notify_bp):
        app.register_blueprint(blueprint)
    for blueprint in (calendar_bp, feeds_bp, answer_bp, meetings_bp, documents_bp, conferences_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(agenda_bp)
    app.register_blueprint(minutes_bp)
    app.register_blueprint(actions_bp)
    csrf.exempt(health_bp)
    _load_calendar_sources()


def _load_calendar_sources() -> None:
    """Each module's calendar.py registers its event source and the models that change calendars."""
    import coord.calendar.reminders  # noqa: F401
    import coord.calendar.upcoming  # noqa: F401
    import coord.conferences.calendar  # noqa: F401
    import coord.meetings.calendar  # noqa: F401


def _register_hooks(app: Flask) -> None:
    from coord.directory.auth_views import configure_login_manager
    from coord.errors import register_error_handlers
    from coord.log_redaction import install as redact_secrets_in_logs
    from coord.meetings.markdown import register as register_markdown
    from coord.security import (
        SessionInterface,
        reject_nul_characters,
        require_second_factor,
        set_security_headers,
    )
    from coord.templating import register_template_helpers

    redact_secrets_in_logs()
    app.session_interface = SessionInterface()
    configure_login_manager()
    register_error_handlers(app)
    register_template_helpers(app)
    register_markdown(app)
    app.before_request(reject_nul_characters)
    app.before_request(require_second_factor)
    app.after_request(set_security_headers)
