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
        # Attendance, attestations and requests (the attendance part)
        "training.attendance.mark": _l("Marked attendance at a training"),
        "training.attestation.read": _l("Downloaded a training attestation"),
        "training.registrants.export.read": _l("Exported a training's registrant list"),
        "training.request.create": _l("Asked for a training"),
        "training.request.decline": _l("Declined a request for a training"),
        "training.request.refused": _l("Refused a request for a training (too many from one address)"),
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
