"""coord: the coordination and scheduling service of the SPHÈRES program."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from coord import log_redaction
from coord.config import load_config
from coord.core import module as modules_api
from coord.core.ids import BoundedIntConverter, RefConverter
from coord.core.markdown import register as register_markdown
from coord.errors import register_error_handlers
from coord.extensions import babel, csrf, db, limiter, login_manager, migrate
from coord.health import bp as health_bp
from coord.i18n import select_locale, select_timezone
from coord.modules import MODULES
from coord.security import SessionInterface, reject_nul_characters, set_security_headers
from coord.templating import register_template_helpers

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None, modules=MODULES) -> Flask:
    """The app with every module of `modules` (the module list by default) installed."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    load_config(app, test_config)
    if app.config["PROXY_FIX_HOPS"]:
        hops = int(app.config["PROXY_FIX_HOPS"])
        # X-Forwarded-Host is never trusted: links come from PUBLIC_URL, hosts are checked (TRUSTED_HOSTS).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)

    _init_extensions(app)
    app.url_map.converters["int"] = BoundedIntConverter
    app.url_map.converters["ref"] = RefConverter
    app.register_blueprint(health_bp)
    csrf.exempt(health_bp)
    app.extensions["coord_modules"] = tuple(modules)
    modules_api.install(app, modules)
    _register_hooks(app, modules)
    return app


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)
    login_manager.init_app(app)


def _register_hooks(app: Flask, modules) -> None:
    log_redaction.install([prefix for module in modules for prefix in module.secret_url_prefixes])
    app.session_interface = SessionInterface(
        prefix for module in modules for prefix in module.sessionless_url_prefixes
    )
    register_error_handlers(app)
    register_template_helpers(
        app, modules_api.navigation(modules), modules_api.links(modules), modules_api.public_pages(modules)
    )
    register_markdown(app)
    app.before_request(reject_nul_characters)
    app.after_request(set_security_headers)
