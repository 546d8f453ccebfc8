"""Secret tokens in URLs do not reach the access logs (development server and gunicorn)."""

from __future__ import annotations

import logging
from datetime import timedelta
from types import SimpleNamespace

from gunicorn.config import Config

from coord.log_redaction import GunicornLogger, RedactSecrets, redact

TOKEN = "Zx1_" + "a" * 39


def test_redact_keeps_the_route_and_drops_the_token():
    assert (
        redact(f'"GET /feeds/{TOKEN}.ics?past=0 HTTP/1.1" 200 -')
        == '"GET /feeds/[redacted]?past=0 HTTP/1.1" 200 -'
    )
    assert redact(f"/answer/{TOKEN}") == "/answer/[redacted]"
    assert redact(f"/password/reset/{TOKEN}") == "/password/reset/[redacted]"
    assert redact(f"/invitation/{TOKEN}") == "/invitation/[redacted]"
    assert redact("/feeds/public/training.ics") == "/feeds/public/training.ics"
    assert redact("/meetings/12/agenda") == "/meetings/12/agenda"


def test_the_development_server_log_line_is_redacted(app, caplog):
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '%s - - [%s] "%s" %s -',
        ("127.0.0.1", "now", f"GET /feeds/{TOKEN}.ics HTTP/1.1", "200"),
        None,
    )
    assert RedactSecrets().filter(record)
    assert TOKEN not in record.getMessage() and "/feeds/[redacted]" in record.getMessage()
    assert any(isinstance(f, RedactSecrets) for f in logging.getLogger("werkzeug").filters)


def test_gunicorn_access_atoms_are_redacted():
    logger = GunicornLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/answer/{TOKEN}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": f"/answer/{TOKEN}",
        "QUERY_STRING": "",
        "HTTP_REFERER": f"https://x/password/reset/{TOKEN}",
        "REMOTE_ADDR": "127.0.0.1",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = logger.atoms(response, SimpleNamespace(headers=[]), environ, timedelta(seconds=0))
    assert TOKEN not in " ".join(str(value) for value in atoms.values())
    assert atoms["U"] == "/answer/[redacted]"
