"""Configuration defaults; instance/config.py and COORD_* environment variables override them."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.fernet import Fernet
from flask import Flask


class DefaultConfig:
    """Embedded defaults: SQLite in instance/, jobs in-process, e-mail written to instance/outbox/."""

    SQLALCHEMY_DATABASE_URI: str | None = None  # filled in from instance_path when absent
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    REDIS_URL: str | None = None

    # Sessions and cookies
    SESSION_COOKIE_NAME = "coord_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # also set per request when served over https
    SESSION_INACTIVITY_TIMEOUT = timedelta(minutes=30)
    SESSION_ABSOLUTE_LIFETIME = timedelta(hours=12)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    SESSION_TOUCH_INTERVAL = timedelta(seconds=60)
    PROXY_FIX_HOPS = 0  # number of trusted reverse proxies setting X-Forwarded-*

    WTF_CSRF_TIME_LIMIT = 3600 * 8
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024

    # Authentication: failed attempts are throttled per (account, client address) pair, never per account for
    # everyone; a known device and a password reset always get the owner in.
    LOGIN_FREE_FAILURES = 5  # failures of one pair before its delays start; also when the owner is told
    LOGIN_FIRST_DELAY = timedelta(minutes=1)  # then twice as long after each further failure ...
    LOGIN_MAX_DELAY = timedelta(minutes=60)  # ... up to this
    LOGIN_FAILURE_MEMORY = timedelta(hours=24)  # a pair's count ends this long after its first failure
    LOGIN_ACCOUNT_ADDRESSES = 10  # failures on one account from this many addresses within ...
    LOGIN_ACCOUNT_WINDOW = timedelta(minutes=60)  # ... this window hold back unknown devices
    LOGIN_ALERT_INTERVAL = timedelta(hours=24)  # the owner is told at most once per interval (and kind)
    LOGIN_DEVICE_MAX_AGE = timedelta(days=180)  # the known-device cookie
    LOGIN_ATTEMPTS_PER_ADDRESS = "100 per 15 minutes"  # login and code posts per client address, any account
    PASSWORD_FORGOT_PER_ADDRESS = "10 per hour"  # noqa: S105 - a rate, not a password
    PASSWORD_FORGOT_MIN_SECONDS = 0.25  # the answer never comes sooner, known address or not
    RATELIMIT_STORAGE_URI: str | None = None  # REDIS_URL when set, else memory://
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}  # Redis: fail fast
    RATELIMIT_HEADERS_ENABLED = False
    PASSWORD_MIN_LENGTH = 12
    PASSWORD_RESET_MAX_AGE = timedelta(hours=2)
    INVITATION_MAX_AGE = timedelta(days=7)
    EMAIL_CHANGE_MAX_AGE = timedelta(hours=24)  # the link mailed to a new address, to confirm it
    ACCOUNT_CONTACT_EMAIL = "coordination@coord.local"  # whom e-mails about an account change say to contact
    TOTP_ISSUER = "coord SPHÈRES"
    # The key TOTP secrets are encrypted with (a Fernet key); default: derived from SECRET_KEY (HKDF).
    TOTP_ENCRYPTION_KEY: str | None = None
    TOTP_REQUIRED_ROLES: tuple[str, ...] | None = None  # default: () in development, staff in production

    # Languages
    LANGUAGES = ("fr", "en")
    BABEL_DEFAULT_LOCALE = "fr_CA"
    BABEL_DEFAULT_TIMEZONE = "America/Toronto"

    # E-mail: without MAIL_SERVER, messages are written to instance/outbox/
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_STARTTLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_TIMEOUT = 10
    MAIL_DEFAULT_SENDER = "coord SPHÈRES <no-reply@coord.local>"
    MAIL_OUTBOX_DIR: str | None = None  # defaults to instance/outbox

    # Notifications: the outbox, rq jobs and the worker (coord/notify/)
    NOTIFY_QUEUE = "coord"  # the rq queue of `flask --app coord worker`
    NOTIFY_MAX_ATTEMPTS = 5  # SMTP attempts before a message is marked failed
    NOTIFY_RETRY_DELAYS = (60, 300, 1800, 7200)  # seconds before the 2nd, 3rd, … attempt (last one repeats)
    NOTIFY_SWEEP_SECONDS = 60  # how often due messages are re-dispatched and periodic tasks run
    NOTIFY_SENDING_TIMEOUT = 900  # seconds; a send unfinished after this is 'uncertain' (never re-sent)

    # Where the site is reached: every absolute link (e-mails, invitations, answers, feeds) is built from it,
    # never from the request's Host. Required in production; in development, the address `make run` serves.
    PUBLIC_URL: str | None = None
    ENVIRONMENT = "development"  # "production": PUBLIC_URL required, second factor for staff by default
    TRUSTED_HOSTS: list[str] | None = None  # other Host values get 400; default: PUBLIC_URL's host

    # Calendars
    CALENDAR_ORGANIZER_NAME = "Coordination SPHÈRES"
    CALENDAR_ORGANIZER_EMAIL = "coordination@coord.local"
    CALENDAR_PAST_DAYS = 90
    CALENDAR_FUTURE_DAYS = 548  # 18 months
    CALENDAR_CANCELLED_KEEP_DAYS = 30
    CALENDAR_ANSWER_LINK_MAX_AGE = timedelta(days=180)
    CALENDAR_REMINDER_HOURS = 24  # invitees get a reminder this long before each occurrence

    # Participants: one closed longer than this is anonymized by the retention purge (`flask --app coord
    # purge-participants`, and the worker once a day): code and private note erased, the free text of
    # their referrals blanked; dates, states and figures stay for the program's statistics.
    PARTICIPANT_RETENTION_DAYS = 1826  # 5 years


def _normalize_database_url(url: str) -> str:
    """Make a bare postgres URL use psycopg 3 (SQLAlchemy 2 would look for psycopg2)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_waits(app: Flask) -> None:
    """SQLite has one writer at a time: a writer waits up to 30 s for the lock (not the driver's 5 s), so a
    burst of clicks or the worker's sweep queues behind a long write instead of failing."""
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    connect_args = dict(options.get("connect_args") or {})
    connect_args.setdefault("timeout", 30)
    options["connect_args"] = connect_args
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _secret_key(instance: Path) -> str:
    """Read the instance secret key, generating it on first run (never in git)."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def load_config(app: Flask, test_config: dict | None) -> None:
    """Defaults, then instance/config.py, then COORD_* and DATABASE_URL/REDIS_URL, then test_config."""
    app.config.from_object(DefaultConfig)
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("COORD")
        if os.environ.get("DATABASE_URL"):
            app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
        if os.environ.get("REDIS_URL"):
            app.config["REDIS_URL"] = os.environ["REDIS_URL"]
    else:
        app.config.update(test_config)

    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'coord.sqlite'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = _normalize_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _sqlite_waits(app)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(instance)
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or "memory://"
    if not app.config.get("MAIL_OUTBOX_DIR"):
        app.config["MAIL_OUTBOX_DIR"] = str(instance / "outbox")
    _durations_from_numbers(app)
    app.config["PERMANENT_SESSION_LIFETIME"] = app.config["SESSION_ABSOLUTE_LIFETIME"]
    _public_address(app)
    _totp_encryption_key(app)


DEVELOPMENT_URL = "http://127.0.0.1:5000"  # what `make run` serves
DEVELOPMENT_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
STAFF_ROLES = ("admin", "coordinator")


class ConfigurationError(RuntimeError):
    """The app refuses to start: the message says what to set."""


def _public_address(app: Flask) -> None:
    """PUBLIC_URL (required in production), the hosts trusted from it, and production's second factor."""
    production = app.config["ENVIRONMENT"] == "production"
    if app.config["ENVIRONMENT"] not in ("production", "development"):
        raise ConfigurationError("COORD_ENVIRONMENT is 'production' or 'development'.")
    url = (app.config.get("PUBLIC_URL") or "").strip()
    if not url:
        if production:
            raise ConfigurationError(
                "COORD_PUBLIC_URL is required in production (e.g. https://coord.example.org): links in "
                "e-mails and feeds are built from it, never from the request's Host."
            )
        url = DEVELOPMENT_URL
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ConfigurationError(f"COORD_PUBLIC_URL must be an http(s) address, not {url!r}.")
    if production and parts.scheme != "https":
        raise ConfigurationError("COORD_PUBLIC_URL must use https in production.")
    app.config["PUBLIC_URL"] = url.rstrip("/")
    if app.config.get("TRUSTED_HOSTS") is None:
        hosts = [parts.hostname] if production else sorted({parts.hostname, *DEVELOPMENT_HOSTS})
        app.config["TRUSTED_HOSTS"] = hosts
    if app.config.get("TOTP_REQUIRED_ROLES") is None:
        app.config["TOTP_REQUIRED_ROLES"] = STAFF_ROLES if production else ()


def _totp_encryption_key(app: Flask) -> None:
    """A TOTP_ENCRYPTION_KEY that is not a Fernet key stops the app at start, not at someone's login."""
    key = app.config.get("TOTP_ENCRYPTION_KEY")
    if not key:
        return
    try:
        Fernet(key)
    except (TypeError, ValueError):
        raise ConfigurationError(
            "COORD_TOTP_ENCRYPTION_KEY must be a Fernet key (32 bytes in url-safe base64), e.g. the output "
            "of python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'."
        ) from None


DURATIONS_IN_MINUTES = (
    "SESSION_INACTIVITY_TIMEOUT",
    "SESSION_ABSOLUTE_LIFETIME",
    "PASSWORD_RESET_MAX_AGE",
    "INVITATION_MAX_AGE",
    "EMAIL_CHANGE_MAX_AGE",
    "CALENDAR_ANSWER_LINK_MAX_AGE",
    "LOGIN_FIRST_DELAY",
    "LOGIN_MAX_DELAY",
    "LOGIN_FAILURE_MEMORY",
    "LOGIN_ACCOUNT_WINDOW",
    "LOGIN_ALERT_INTERVAL",
    "LOGIN_DEVICE_MAX_AGE",
)


def _durations_from_numbers(app: Flask) -> None:
    """Durations may be given as a number of minutes (e.g. COORD_SESSION_INACTIVITY_TIMEOUT=20)."""
    for key in DURATIONS_IN_MINUTES:
        value = app.config[key]
        if isinstance(value, int | float) and not isinstance(value, bool):
            app.config[key] = timedelta(minutes=value)
        elif not isinstance(value, timedelta):
            raise ValueError(f"{key} must be a number of minutes")
