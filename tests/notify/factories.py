"""Reading the outbox in tests: its rows and the .eml files written without an SMTP server."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

from sqlalchemy import select

from coord.extensions import db
from coord.notify.models import OutboxMessage


def eml_files(app) -> list:
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    paths = sorted(folder.glob("*.eml"), key=lambda path: path.stat().st_mtime) if folder.exists() else []
    return [email.message_from_bytes(path.read_bytes(), policy=policy.default) for path in paths]


def rows(app) -> list[OutboxMessage]:
    with app.app_context():
        found = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return found
