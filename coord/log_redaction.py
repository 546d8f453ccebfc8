"""Secret tokens in URLs (feed links, answer links, reset and invitation links) never reach the logs.

The development server's access log (werkzeug) goes through `RedactSecrets`; gunicorn's access log through
`GunicornLogger`, which `gunicorn.conf.py` at the top of the repository selects.
"""

from __future__ import annotations

import logging
import re

from coord.modules import MODULES

REDACTED = r"\1[redacted]"


def secret_path_pattern(prefixes: list[str]) -> re.Pattern | None:
    """The path segment after any of the prefixes (regular expressions ending with "/")."""
    if not prefixes:
        return None
    return re.compile("(" + "|".join(f"(?:{prefix})" for prefix in prefixes) + r")[^/\s?\"']+")


# The module list's prefixes until an app installs its own (gunicorn's logger may log before).
_secret_path = secret_path_pattern([prefix for module in MODULES for prefix in module.secret_url_prefixes])


def redact(text: str) -> str:
    return _secret_path.sub(REDACTED, text) if _secret_path is not None else text


class RedactSecrets(logging.Filter):
    """Rewrites a record's message and string arguments with the secret parts of paths removed."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(str(record.msg))
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        return True


def install(prefixes: list[str]) -> None:
    """Redact what follows these prefixes on the loggers that write request lines (idempotent)."""
    global _secret_path
    _secret_path = secret_path_pattern(prefixes)
    for name in ("werkzeug", "gunicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())


try:  # gunicorn is a dependency, but keep the app importable without it
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover
    _GunicornLogger = object  # type: ignore[misc,assignment]


class GunicornLogger(_GunicornLogger):  # type: ignore[misc,valid-type]
    """gunicorn's logger with every field of an access line redacted (request line, path, referer, and the
    environ and header fields a custom access_log_format may use)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}
