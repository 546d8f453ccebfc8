"""The awareness sessions' audit actions in words, registered with the audit log's labels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coord.audit_labels import register

register(
    {
        "outreach.confirm": _l("Confirmed an awareness session"),
        "outreach.decline": _l("Declined an awareness session request"),
        "outreach.cancel": _l("Cancelled an awareness session"),
        "outreach.reschedule": _l("Moved an awareness session"),
        "outreach.reschedule_ask": _l("Asked to move an awareness session"),
        "outreach.outcome": _l("Recorded a session's outcome"),
        "outreach.settings.update": _l("Changed the booking rules"),
        "outreach.availability.add": _l("Added a presenter's availability"),
        "outreach.availability.remove": _l("Removed a presenter's availability"),
        "outreach.presenter.publish": _l("Published a presenter"),
        "outreach.presenter.deactivate": _l("Deactivated a presenter"),
        "outreach.presenter.reactivate": _l("Reactivated a presenter"),
        "outreach.presenter.languages": _l("Changed a presenter's languages"),
    }
)
