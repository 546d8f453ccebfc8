"""Demo trainings, all fictitious: a year of sessions (six months back, six ahead) of every module of the
catalogue, given by the demo intervenant and partner (the police officer co-trains on criminal networks);
past sessions with attendance and attestation codes; ahead, full sessions with a waiting list (in two, a
seat offered, expiring in 30 hours), an open session with seats left, a planned one without trainers, a
cancelled one; organizations' requests for a training; and each demo account's own registrations, so that
"My trainings" shows every state (a seat, a place on a waiting list, an offer, attendance, an attestation).

Written directly with the models (no e-mail leaves for demo data), on weekdays from 9 h to 16 h 30 (the
2-day module on consecutive days), each session moved a day at a time until its trainers (and the demo
accounts registered) are free by the calendar's free/busy service. Seeding twice adds nothing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from coord.calendar.freebusy import conflicts
from coord.core.localtime import LOCAL_TZ, local_today, utcnow
from coord.directory.models import Organization, Person
from coord.extensions import db
from coord.training.attestations import new_code
from coord.training.demo_plan import (
    ASKS,
    FIRST_NAMES,
    LAST_NAMES,
    NOTES,
    OUTSIDE_ORGANIZATIONS,
    PARTNER_ORGANIZATIONS,
    PLACES,
    PLANS,
    Ask,
    Plan,
)
from coord.training.models import (
    Attendance,
    Audience,
    Registration,
    RegistrationStatus,
    RequestStatus,
    SessionPart,
    SessionStatus,
    Trainer,
    TrainingModule,
    TrainingRequest,
    TrainingSession,
)

DOMAIN = "demo.coord.test"
DAY_START, DAY_END, NOON_END, AFTERNOON_START = time(9), time(16, 30), time(12, 30), time(13)
FULL_DAY_MINUTES = 420
OFFER_LEFT = timedelta(hours=30)
SEATED = {"registered": None, "present": Attendance.PRESENT, "partial": Attendance.PARTIAL}  # with a mark


def seed(password: str | None = None) -> None:
    if db.session.scalar(select(TrainingSession.id).limit(1)) is not None:
        return
    people = {
        name: _person(name) for name in ("coordinator", "intervenant", "police", "partner", "requester")
    }
    modules = {m.code: m for m in db.session.scalars(select(TrainingModule))}
    if None in people.values() or not modules:
        return  # the directory's demo accounts or the catalogue are not there: nothing believable to add
    organizations = {o.short_name: o for o in db.session.scalars(select(Organization))}
    seeder = _Seeder(people, organizations)
    sessions = {}
    for number, plan in enumerate(PLANS):
        if plan.code in modules:
            sessions[(plan.code, plan.days > 0)] = seeder.session(plan, modules[plan.code], number)
    for ask in ASKS:
        if ask.code in modules:
            _request(ask, modules[ask.code], people, organizations, sessions.get((ask.scheduled_code, True)))


def _person(local_part: str) -> Person | None:
    return db.session.scalar(select(Person).where(Person.email == f"{local_part}@{DOMAIN}"))


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=LOCAL_TZ)


def _times(module: TrainingModule, first_day: date, afternoon: bool) -> list[tuple[datetime, datetime]]:
    """The parts: one full day per 7 hours on consecutive days, or a half day."""
    if module.duration_minutes < FULL_DAY_MINUTES:
        start, end = (AFTERNOON_START, DAY_END) if afternoon else (DAY_START, NOON_END)
        return [(_local(first_day, start), _local(first_day, end))]
    days = -(-module.duration_minutes // FULL_DAY_MINUTES)
    return [
        (_local(first_day + timedelta(days=n), DAY_START), _local(first_day + timedelta(days=n), DAY_END))
        for n in range(days)
    ]


def _days_around(day: date, backwards: bool) -> Iterator[date]:
    for offset in range(60):
        yield day - timedelta(days=offset) if backwards else day + timedelta(days=offset)


def _ascii(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii() and c.isalnum() or c == "-")


class _Seeder:
    """Places the sessions where their people are free and writes their registrations."""

    def __init__(self, people: dict[str, Person], organizations: dict[str, Organization]) -> None:
        self.people, self.organizations = people, organizations
        self.today, self.now = local_today(), utcnow()
        self.next_name = 0

    def session(self, plan: Plan, module: TrainingModule, number: int) -> TrainingSession:
        trainers = [self.people[name] for name in plan.trainers]
        guests = [self.people[guest.account] for guest in plan.guests]
        busy_people = [*trainers, *guests, *([self.people["coordinator"]] if plan.coordinator else [])]
        parts = self._free_times(plan, module, busy_people)
        starts_at, ends_at = parts[0][0], parts[-1][1]
        session = TrainingSession(
            module=module,
            status=plan.status,
            audience=plan.audience,
            language="fr",
            capacity=plan.capacity,
            per_organization_limit=plan.limit,
            place="" if plan.place is None else PLACES[plan.place],
            video_url=f"https://visio.example.org/spheres-{module.code}-{number}"
            if plan.place is None
            else "",
            notes=NOTES[2] if plan.place is None else NOTES[number % 2],
            registration_opens_at=starts_at - timedelta(days=60),
            registration_closes_at=starts_at - timedelta(days=2),
            starts_at=starts_at,
            ends_at=ends_at,
            sequence=1 if plan.status == SessionStatus.CANCELLED else 0,
            cancel_reason=plan.reason,
            created_by_id=self.people["coordinator"].id,
            created_at=starts_at - timedelta(days=75),
            updated_at=starts_at - timedelta(days=75),
        )
        session.parts = [SessionPart(starts_at=start, ends_at=end) for start, end in parts]
        db.session.add(session)
        db.session.flush()
        for trainer in trainers:
            db.session.add(Trainer(session_id=session.id, person_id=trainer.id))
        self._registrations(session, plan, trainers)
        db.session.flush()
        return session

    def _free_times(self, plan: Plan, module: TrainingModule, people: list[Person]) -> list:
        """The first weekday(s) from the planned day (backwards for past sessions) when everyone is free."""
        past = plan.days < 0
        for day in _days_around(self.today + timedelta(days=plan.days), backwards=past):
            parts = _times(module, day, plan.afternoon)
            if any(start.weekday() >= 5 for start, _ in parts) or (past and parts[-1][1] >= self.now):
                continue
            if all(not conflicts(p.id, start, end) for p in people for start, end in parts):
                return parts
        raise RuntimeError("no free time for the demo training")  # pragma: no cover (60 days)

    def _registrations(self, session: TrainingSession, plan: Plan, trainers: list[Person]) -> None:
        past = session.ends_at <= self.now
        cancelled_session = plan.status == SessionStatus.CANCELLED
        rows: list[Registration] = []
        if plan.coordinator:
            rows.append(self._own(session, RegistrationStatus.REGISTERED, len(rows), "coordinator"))
        marked: dict[int, str] = {}  # the demo accounts' attendance, by row
        for guest in plan.guests:
            if guest.state in SEATED:
                marked[len(rows)] = SEATED[guest.state]
                rows.append(self._own(session, RegistrationStatus.REGISTERED, len(rows), guest.account))
        seat_status = RegistrationStatus.CANCELLED if cancelled_session else RegistrationStatus.REGISTERED
        for _ in range(plan.seats - len(rows)):
            rows.append(self._row(session, seat_status, len(rows)))
        for _ in range(plan.cancelled):
            rows.append(self._row(session, RegistrationStatus.CANCELLED, len(rows)))
        queue = self._queue(session, plan, rows)
        for _ in range(plan.unverified):
            row = self._row(session, RegistrationStatus.UNVERIFIED, len(rows))
            row.verified_at = None
            rows.append(row)
        for number, row in enumerate(rows):
            if row.status == RegistrationStatus.CANCELLED:
                row.cancelled_at = (
                    session.starts_at - timedelta(days=3) if past else row.created_at + timedelta(days=2)
                )
                row.cancelled_at = min(row.cancelled_at, self.now)
            if past and row.status == RegistrationStatus.REGISTERED:
                self._attendance(row, number, session, trainers, marked.get(number))
        session.registrations = rows
        session.next_queue_number = queue

    def _queue(self, session: TrainingSession, plan: Plan, rows: list[Registration]) -> int:
        """The offer (first in line), then the waiting list, demo accounts at their positions; the next
        queue number."""
        offered_to = next((g.account for g in plan.guests if g.state == "offered"), None)
        line: list[str | None] = [None] * plan.waiting
        for guest in sorted(plan.guests, key=lambda g: g.position):
            if guest.state == "waiting":
                line.insert(guest.position - 1, guest.account)
        queue = 1
        if plan.offered or offered_to:
            status = RegistrationStatus.OFFERED
            offered = self._own(session, status, len(rows), offered_to, queue=queue)
            offered.offered_at = self.now - (timedelta(hours=session.offer_hours) - OFFER_LEFT)
            offered.offer_expires_at = self.now + OFFER_LEFT
            offered.offer_version = 1
            offered.created_at = offered.updated_at = min(
                offered.created_at, offered.offered_at - timedelta(days=1)
            )
            rows.append(offered)
            queue += 1
        for account in line:
            rows.append(self._own(session, RegistrationStatus.WAITING, len(rows), account, queue=queue))
            queue += 1
        return queue

    def _own(
        self, session: TrainingSession, status: str, number: int, account: str | None, **kwargs
    ) -> Registration:
        """A demo account's own registration (made by themself), or a fictitious person's without one."""
        if account is None:
            return self._row(session, status, number, **kwargs)
        person = self.people[account]
        return self._row(session, status, number, person=person, by=person, **kwargs)

    def _row(
        self,
        session: TrainingSession,
        status: str,
        number: int,
        *,
        person: Person | None = None,
        by: Person | None = None,
        queue: int | None = None,
    ) -> Registration:
        created_at = min(session.registration_opens_at + timedelta(hours=5 + 11 * number), self.now)
        row = Registration(
            status=status,
            queue_number=queue,
            language="fr",
            registered_by_id=by.id if by else None,
            created_at=created_at,
            updated_at=created_at,
        )
        if person is not None:
            row.person_id = person.id
            row.organization_id = person.organization_id
            row.organization_name = person.organization.name if person.organization else ""
            row.organization_key = f"org:{person.organization_id}" if person.organization_id else ""
            row.language = person.preferred_language or "fr"
            return row
        self._name(row, session, number)
        row.verified_at = created_at + timedelta(minutes=12)
        return row

    def _name(self, row: Registration, session: TrainingSession, number: int) -> None:
        """A fictitious person: of a partner organization, or (open sessions) often of an outside one."""
        index = self.next_name
        self.next_name += 1
        first = FIRST_NAMES[index % len(FIRST_NAMES)]
        last = LAST_NAMES[(index * 7) % len(LAST_NAMES)]
        row.name = f"{first} {last}"
        row.email = f"{_ascii(first)}.{_ascii(last)}.{index}@example.org".lower()
        row.language = "en" if index % 9 == 4 else "fr"
        if session.audience == Audience.OPEN and number % 2 == 1:
            name = OUTSIDE_ORGANIZATIONS[(number // 2) % len(OUTSIDE_ORGANIZATIONS)]
            row.organization_name, row.organization_key = name, f"name:{name.casefold()}"
            return
        short_names = [s for s in PARTNER_ORGANIZATIONS if s in self.organizations]
        # Two seats at most per organization in a row of registrations: below any per-organization limit.
        organization = self.organizations[short_names[(number // 2) % len(short_names)]]
        row.organization_id, row.organization_name = organization.id, organization.name
        row.organization_key = f"org:{organization.id}"
        row.registered_by_id = self.people["coordinator"].id

    def _attendance(
        self, row: Registration, number: int, session: TrainingSession, trainers, mark: str | None = None
    ) -> None:
        """Most present, some partly, some absent (a demo account: as planned); attestation codes for those
        present."""
        if mark is not None:
            row.attendance = mark
            if mark == Attendance.PRESENT:
                row.attestation_code = new_code()
        elif number % 7 == 5:
            row.attendance = Attendance.ABSENT
        elif number % 9 == 3:
            row.attendance = Attendance.PARTIAL
        else:
            row.attendance = Attendance.PRESENT
            row.attestation_code = new_code()
        row.attendance_marked_by_id = trainers[0].id if trainers else self.people["coordinator"].id
        row.attendance_marked_at = session.ends_at + timedelta(minutes=20)


def _request(
    ask: Ask, module: TrainingModule, people, organizations, session: TrainingSession | None
) -> None:
    today, now = local_today(), utcnow()
    organization = organizations.get(ask.short_name)
    asked_at = now - timedelta(days=12 if ask.status == RequestStatus.OPEN else 40)
    request = TrainingRequest(
        status=ask.status,
        module_id=module.id,
        organization_id=organization.id if organization else None,
        organization_name=ask.organization,
        contact_name=ask.contact,
        contact_email=ask.email.lower(),
        language="fr",
        audience=ask.audience,
        expected_size=ask.size,
        period_start=today + timedelta(days=ask.period[0]),
        period_end=today + timedelta(days=ask.period[1]),
        details=ask.details,
        decline_reason=ask.reason,
        requested_by_id=people[ask.requester].id if ask.requester else None,
        created_at=asked_at,
        updated_at=asked_at,
    )
    if ask.status != RequestStatus.OPEN:
        request.handled_by_id = people["coordinator"].id
        request.handled_at = asked_at + timedelta(days=3)
    db.session.add(request)
    db.session.flush()
    if ask.status == RequestStatus.SCHEDULED and session is not None:
        session.request_id = request.id
