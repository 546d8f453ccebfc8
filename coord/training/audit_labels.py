"""The training calendar's audit actions and tables in words, registered with the audit log's labels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coord.audit_labels import register

register(
    {
        # The sessions part: sessions and the catalogue.
        "training.session.create": _l("Planned a training session"),
        "training.session.update": _l("Changed a training session"),
        "training.session.confirm": _l("Confirmed a training session"),
        "training.session.cancel": _l("Cancelled a training session"),
        "training.module.update": _l("Changed a training module"),
    },
    objects={
        "training_module": _l("training module"),
        "training_session": _l("training session"),
        "training_registration": _l("training registration"),
        "training_request": _l("training request"),
    },
)
