"""Answers to invitations (accepted, tentative, declined), in the app or from a signed link without login."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from coord import audit
from coord.calendar.models import Answer, EventAnswer
from coord.calendar.sources import find_event
from coord.calendar.urls import absolute_url
from coord.directory.models import Person
from coord.extensions import db

MAX_TOKEN_LENGTH = 400


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="coord.calendar.answer")


def answer_token(uid: str, person_id: int) -> str:
    return _serializer().dumps({"u": uid, "p": person_id})


def answer_url(uid: str, person_id: int) -> str:
    return absolute_url(f"/answer/{answer_token(uid, person_id)}")


def read_token(token: str) -> tuple[str, Person] | None:
    """(uid, person) for a genuine, unexpired token of an active person still invited; else None."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    max_age = int(current_app.config["CALENDAR_ANSWER_LINK_MAX_AGE"].total_seconds())
    try:
        data = _serializer().loads(token, max_age=max_age)
    except BadData:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), str) or not isinstance(data.get("p"), int):
        return None
    person = db.session.get(Person, data["p"]) if 0 < data["p"] < 2**31 else None
    found = find_event(data["u"])
    if person is None or not person.active or found is None or not found[1].is_invited(data["u"], person.id):
        return None
    return data["u"], person


def answer_of(uid: str, person_id: int) -> str | None:
    return db.session.scalar(
        sa.select(EventAnswer.answer).where(EventAnswer.uid == uid, EventAnswer.person_id == person_id)
    )


def answers_for(uids: list[str]) -> dict[tuple[str, int], str]:
    """Every answer to these events, in one query: {(uid, person_id): answer}."""
    if not uids:
        return {}
    rows = db.session.execute(
        sa.select(EventAnswer.uid, EventAnswer.person_id, EventAnswer.answer).where(EventAnswer.uid.in_(uids))
    )
    return {(row.uid, row.person_id): row.answer for row in rows}


def record_answer(uid: str, person: Person, answer: Answer) -> None:
    """Keep the person's answer (the latest wins) and commit."""
    row = db.session.scalar(
        sa.select(EventAnswer).where(EventAnswer.uid == uid, EventAnswer.person_id == person.id)
    )
    if row is None:
        row = EventAnswer(uid=uid, person_id=person.id, answer=answer)
        db.session.add(row)
    else:
        row.answer = answer
    audit.record("calendar.answer", object_type="event", object_id=uid, actor=person, detail=str(answer))
    db.session.commit()
