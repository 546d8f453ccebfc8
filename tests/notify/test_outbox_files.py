"""Without an SMTP server, e-mails (with their reset and invitation links): owner-only files."""

from __future__ import annotations

import stat
from pathlib import Path

from coord.directory.models import Person
from coord.extensions import db
from coord.notify.outbox import deliver_message, queue_email
from tests.directory.factories import make_person


def test_eml_files_and_their_folder_are_private(app):
    person_id = make_person(app)
    with app.app_context():
        message = queue_email(db.session.get(Person, person_id), "directory/password_reset")
        db.session.commit()
        deliver_message(message.id)
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    (eml,) = folder.glob("*.eml")
    assert stat.S_IMODE(eml.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
