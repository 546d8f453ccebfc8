"""Answers to invitations (accepted, tentative, declined), in the app or from a signed link without login."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from coord import audit
from coord.calendar.models import Answer, EventAnswer
from coord.calendar.sources import find_event
from coord.core.urls import absolute_url
from coord.directory.models import Person
from coord.extensions import db

MAX_TOKEN_LENGTH = 400
_OCCURRENCE = re.compile(r"^(\d{8}T\d{6}Z)?$")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="coord.calendar.answer")


def occurrence_key(start: datetime | None) -> str:
    """The empty string for a whole event or series; the original UTC start for one occurrence."""
    return "" if start is None else start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def answer_token(uid: str, person_id: int, occurrence: str = "") -> str:
    """Signed now, under the person's current token version: a raise (deactivation, e-mail or password
    change) kills it for good."""
    person = db.session.get(Person, person_id)
    data = {"u": uid, "p": person_id, "v": person.token_version if person is not None else 0}
    if occurrence:
        data["o"] = occurrence
    return _serializer().dumps(data)


def answer_url(uid: str, person_id: int, occurrence: str = "") -> str:
    return absolute_url(f"/answer/{answer_token(uid, person_id, occurrence)}")


def read_token(token: str) -> tuple[str, str, Person] | None:
    """(uid, occurrence, person) for a genuine, unexpired token of an active person still invited, signed
    under the person's current token version (links signed before the versions existed count as 0)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    max_age = int(current_app.config["CALENDAR_ANSWER_LINK_MAX_AGE"].total_seconds())
    try:
        data = _serializer().loads(token, max_age=max_age)
    except BadData:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), str) or not isinstance(data.get("p"), int):
        return None
    if isinstance(data["p"], bool):
        return None
    occurrence = data.get("o", "")
    if not isinstance(occurrence, str) or not _OCCURRENCE.match(occurrence):
        return None
    version = data.get("v", 0)
    if not isinstance(version, int) or isinstance(version, bool):
        return None
    person = db.session.get(Person, data["p"]) if 0 < data["p"] < 2**31 else None
    if person is None or not person.active or person.token_version != version:
        return None
    found = find_event(data["u"])
    if found is None or not found[1].is_invited(data["u"], person.id):
        return None
    return data["u"], occurrence, person


def answer_of(uid: str, person_id: int, occurrence: str = "") -> str | None:
    """The person's answer to this occurrence, else to the whole event or series."""
    rows = dict(
        db.session.execute(
            sa.select(EventAnswer.occurrence, EventAnswer.answer).where(
                EventAnswer.uid == uid,
                EventAnswer.person_id == person_id,
                EventAnswer.occurrence.in_({occurrence, ""}),
            )
        ).all()
    )
    return rows.get(occurrence) or rows.get("")


class Answers(dict):
    """{(uid, occurrence, person_id): answer}, read with the whole-event answer as the fallback."""

    def of(self, uid: str, person_id: int, occurrence: str = "") -> str | None:
        return self.get((uid, occurrence, person_id)) or self.get((uid, "", person_id))


def answers_for(uids: list[str]) -> Answers:
    """Every answer to these events (all occurrences), in one query."""
    if not uids:
        return Answers()
    rows = db.session.execute(
        sa.select(EventAnswer.uid, EventAnswer.occurrence, EventAnswer.person_id, EventAnswer.answer).where(
            EventAnswer.uid.in_(set(uids))
        )
    )
    return Answers({(row.uid, row.occurrence, row.person_id): row.answer for row in rows})


def record_answer(uid: str, person: Person, answer: Answer, occurrence: str = "") -> None:
    """Keep the person's answer (the latest wins) and commit. Two first answers at once (a double click,
    the page and the e-mail's link): the second finds the first's row and updates it, no error."""
    for attempt in (1, 2):
        row = db.session.scalar(
            sa.select(EventAnswer).where(
                EventAnswer.uid == uid,
                EventAnswer.occurrence == occurrence,
                EventAnswer.person_id == person.id,
            )
        )
        if row is None:
            row = EventAnswer(uid=uid, occurrence=occurrence, person_id=person.id, answer=answer)
            db.session.add(row)
        else:
            row.answer = answer
        detail = f"{answer} {occurrence}".strip()
        audit.record("calendar.answer", object_type="event", object_id=uid, actor=person, detail=detail)
        try:
            db.session.commit()
            return
        except IntegrityError:  # the same person's first answer, committed meanwhile
            db.session.rollback()
            if attempt == 2:
                raise
