"""The training calendar's audit actions and tables in words, registered with the audit log's labels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coord.audit_labels import register

register(
    {
        "training.session.create": _l("Planned a training session"),
        # Registration (registration part)
        "training.registration.create": _l("Registered for a training"),
        "training.registration.cancel": _l("Cancelled a training registration"),
        "training.registration.verify": _l("Confirmed a training registration's address"),
        "training.registration.offer": _l("Offered a freed training seat"),
        "training.registration.claim": _l("Took an offered training seat"),
        "training.registration.lapse": _l("A training seat offer lapsed"),
    },
    objects={
        "training_module": _l("training module"),
        "training_session": _l("training session"),
        "training_registration": _l("training registration"),
        "training_request": _l("training request"),
    },
)
