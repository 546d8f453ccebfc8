"""The referrals' e-mails: "a referral awaits your answer" and "a referral was updated".

They carry no participant detail (no code, age, service, urgency or note) and no organization name: a
sentence and a link to the referral's page, built from the public address. Queued in the caller's
transaction, one per person (deduplicated per referral, event and person).
"""

from __future__ import annotations

from collections.abc import Iterable

from coord.core.urls import absolute_url
from coord.directory.models import Person
from coord.notify.outbox import queue_email
from coord.referrals.models import Referral

WAITING = "referrals/referral_waiting"
UPDATED = "referrals/referral_updated"


def referral_url(referral: Referral) -> str:
    return absolute_url(f"/referrals/{referral.ref}")


def queue_waiting(referral: Referral, people: Iterable[Person]) -> int:
    """One "a referral awaits your answer" e-mail per intake person of the receiving organization."""
    context = {"url": referral_url(referral)}
    count = 0
    for person in people:
        key = f"referral:{referral.id}:sent:{person.id}"
        if queue_email(person, WAITING, context=context, dedupe_key=key):
            count += 1
    return count


def queue_news(referral: Referral, people: Iterable[Person]) -> int:
    """One "a referral was updated" e-mail per person of the other side (the state is not told)."""
    context = {"url": referral_url(referral)}
    count = 0
    for person in people:
        key = f"referral:{referral.id}:{referral.state}:{person.id}"
        if queue_email(person, UPDATED, context=context, dedupe_key=key):
            count += 1
    return count
