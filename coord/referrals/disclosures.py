"""The register of disclosures: every service that passes a participant's information to another
organization writes one line here, in the same transaction as the change (never the content itself)."""

from __future__ import annotations

from coord.directory.models import Person
from coord.extensions import db
from coord.referrals.models import Consent, Disclosure, Participant


def record_disclosure(
    participant: Participant,
    *,
    what: str,
    purpose: str,
    to_organization_id: int,
    consent: Consent | None,
    actor: Person | None,
    obj: object | None = None,
    to_person: Person | None = None,
    from_organization_id: int | None = None,
) -> Disclosure:
    """Add a line (what, to whom, purpose, basis) to the caller's transaction; the caller commits."""
    line = Disclosure(
        participant_id=participant.id,
        what=str(what),
        purpose=str(purpose),
        from_organization_id=from_organization_id or participant.organization_id,
        to_organization_id=to_organization_id,
        to_person_id=to_person.id if to_person is not None else None,
        consent_id=consent.id if consent is not None else None,
        actor_id=getattr(actor, "id", None),
        object_type=obj.__class__.__tablename__ if obj is not None else "",
        object_id=getattr(obj, "id", None),
    )
    db.session.add(line)
    return line
