"""The audit log in words: every action the code records, and every kind of object, as the reader says them.

The log stores codes ("auth.login", "person"); pages show these labels. `tests/french/test_audit_labels.py`
finds every action recorded in the source and fails when one has no label here."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    # authentication and accounts
    "auth.login": _l("Logged in"),
    "auth.logout": _l("Logged out"),
    "auth.lockout": _l("Too many attempts: refused"),
    "auth.totp": _l("Entered a second-factor code"),
    "auth.totp_enabled": _l("Turned on the second factor"),
    "auth.totp_disabled": _l("Turned off the second factor"),
    "auth.password_change": _l("Changed their password"),
    "auth.password_reset": _l("Reset their password"),
    "auth.password_reset_requested": _l("Asked for a password reset"),
    "auth.invitation_accepted": _l("Accepted their invitation"),
    "permission.denied": _l("Access refused"),
    "audit.read": _l("Read the audit log"),
    "demo.seed": _l("Loaded the demo data"),
    # people, organizations, committees
    "person.create": _l("Created a person"),
    "person.update": _l("Changed a person"),
    "person.roles": _l("Changed a person's roles"),
    "person.invite": _l("Invited a person"),
    "person.deactivate": _l("Deactivated a person"),
    "person.reactivate": _l("Reactivated a person"),
    "person.language": _l("Changed a person's language"),
    "person.email_change_requested": _l("Asked to change an e-mail address"),
    "person.email_change_cancelled": _l("Cancelled an e-mail address change"),
    "person.email_changed": _l("Changed an e-mail address"),
    "organization.create": _l("Created an organization"),
    "organization.update": _l("Changed an organization"),
    "organization.deactivate": _l("Deactivated an organization"),
    "organization.reactivate": _l("Reactivated an organization"),
    "committee.member_add": _l("Added a committee member"),
    "committee.member_remove": _l("Removed a committee member"),
    "committee.quorum": _l("Set a committee's quorum"),
    # calendars and e-mail
    "calendar.answer": _l("Answered an invitation"),
    "calendar.feed_create": _l("Created a calendar feed link"),
    "calendar.feed_reset": _l("Reset a calendar feed link"),
    "outbox.retry": _l("Sent an e-mail again"),
    # committee meetings
    "meeting.create": _l("Created a meeting"),
    "meeting.update": _l("Changed a meeting"),
    "meeting.publish": _l("Published a meeting"),
    "meeting.cancel": _l("Cancelled a meeting"),
    "meeting.prepare": _l("Prepared an occurrence"),
    "meeting.attendance": _l("Recorded attendance"),
    "meeting_series.create": _l("Created a series"),
    "meeting_series.publish": _l("Published a series"),
    "meeting_series.cancel": _l("Cancelled a series"),
    "meeting_series.split": _l("Changed a series from a date on"),
    "agenda.item.add": _l("Added an agenda item"),
    "agenda.item.update": _l("Changed an agenda item"),
    "agenda.item.delete": _l("Deleted an agenda item"),
    "agenda.item.move": _l("Moved an agenda item"),
    "agenda.reorder": _l("Reordered the agenda"),
    "agenda.publish": _l("Published an agenda"),
    "agenda.republish": _l("Published an agenda again"),
    "minutes.save": _l("Saved minutes"),
    "minutes.correct": _l("Corrected minutes"),
    "minutes.circulate": _l("Circulated minutes"),
    "minutes.approve": _l("Approved minutes"),
    "decisions.export.read": _l("Exported a committee's decisions"),
    "actions.export.read": _l("Exported a committee's actions"),
    "minutes.comment": _l("Commented on minutes"),
    "action.done": _l("Marked an action done"),
    "action.cancel": _l("Cancelled an action"),
    "action.reopen": _l("Reopened an action"),
    # participants, consents, referrals, registers
    "participant.create": _l("Recorded a participant's file"),
    "participant.read": _l("Read a participant's file"),
    "participant.list.read": _l("Saw a participant's file in a list"),
    "participant.change": _l("Changed a participant's file"),
    "participant.close": _l("Closed a participant's file"),
    "participant.reopen": _l("Reopened a participant's file"),
    "participant.access_log.read": _l("Read a file's access log"),
    "participant.disclosures.read": _l("Read a file's disclosures"),
    "participant.anonymize": _l("A file was anonymized (retention)"),
    "participants.purge": _l("Retention purge"),
    "consent.record": _l("Recorded a consent"),
    "consent.withdraw": _l("Withdrew a consent"),
    "consent.expire": _l("A consent expired"),
    "consent.read": _l("Read a consent"),
    "referral.send": _l("Sent a referral"),
    "referral.send_form.read": _l("Opened the referral form"),
    "referral.summary.read": _l("Read a referral's summary"),
    "referral.read": _l("Read a whole referral"),
    "referral.accept": _l("Accepted a referral"),
    "referral.decline": _l("Declined a referral"),
    "referral.withdraw": _l("Withdrew a referral"),
    "referral.close": _l("Closed a referral"),
    "referral.suspend": _l("A referral was suspended (consent)"),
    "referral.board.read": _l("Saw a referral on the board"),
    "referral.incoming.read": _l("Saw a referral in the intake list"),
    "referral.sent.read": _l("Saw a referral in the sent list"),
    "intake.add": _l("Named an intake person"),
    "intake.remove": _l("Removed an intake person"),
    "disclosures.read": _l("Read the register of disclosures"),
    "disclosures.export.read": _l("Exported the register of disclosures"),
    "incident.record": _l("Recorded a confidentiality incident"),
    "incident.change": _l("Changed a confidentiality incident"),
    "incidents.read": _l("Read the register of incidents"),
    # case conferences
    "conference.schedule": _l("Planned a case conference"),
    "conference.schedule_form": _l("Opened the case conference form"),
    "conference.read": _l("Read a case conference"),
    "conference.update": _l("Changed a case conference"),
    "conference.cancel": _l("Cancelled a case conference"),
    "conference.invitees.add": _l("Invited people to a case conference"),
    "conference.invitees.remove": _l("Uninvited someone from a case conference"),
    "conference.list.read": _l("Saw a case conference in a list"),
    "conference.agenda.read": _l("Read a case conference's agenda"),
    "conference.minutes.read": _l("Read a case conference's minutes"),
}

OBJECT_LABELS = {  # an entry's object_type (a table's name) as a noun
    "person": _l("person"),
    "organization": _l("organization"),
    "committee": _l("committee"),
    "committee_membership": _l("committee membership"),
    "meeting": _l("committee meeting"),
    "meeting_series": _l("meeting series"),
    "agenda_item": _l("agenda item"),
    "minutes": _l("meeting minutes"),
    "action_item": _l("action item"),
    "participant": _l("participant's file"),
    "consent": _l("consent"),
    "referral": _l("referral"),
    "disclosure": _l("disclosure"),
    "confidentiality_incident": _l("confidentiality incident"),
    "case_conference": _l("case conference"),
    "feed_link": _l("calendar feed link"),
    "outbox_messages": _l("e-mail"),
    "outreach_request": _l("awareness session request"),
    "outreach_presenter": _l("presenter"),
    "outreach_availability": _l("availability"),
    "outreach_settings": _l("booking rules"),
}


def register(labels: dict, objects: dict | None = None) -> None:
    """A module's own actions (and its tables, as nouns) in words, registered from the module itself."""
    ACTION_LABELS.update(labels)
    OBJECT_LABELS.update(objects or {})


ACTOR_LABELS = {"system": _l("the system"), "anonymous": _l("an unidentified visitor")}


def action_label(action: str) -> object:
    """The action in words; an action without a label shows its code (a test keeps this list complete)."""
    return ACTION_LABELS.get(action, action)


def object_label(object_type: str, object_id: str, names: dict[tuple[str, str], str]) -> str:
    """ "organization CCSMTL", "meeting no 12": the object's name when the page may show it, else its kind."""
    if not object_type:
        return ""
    kind = str(OBJECT_LABELS.get(object_type, object_type.replace("_", " ")))
    name = names.get((object_type, object_id))
    if name:
        return f"{kind} {name}"
    return str(_l("%(kind)s no %(number)s", kind=kind, number=object_id)) if object_id else kind
