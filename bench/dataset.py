"""A province-scale data set, inserted in bulk (rows, not services: no audit, e-mail or invitation work).

17 regions of 6 organizations, 2,000 people, 2 committees per region with their members, and 50,000
published events over the feeds' window: weekly series (each with one cancelled occurrence), single
meetings with guests, and case conferences with invitees. Two people are chosen: `big` sees exactly
5,000 events in their personal feed (besides events outside the window and unpublished ones, which the feed
must leave out), `small` sees exactly 50, through the same kinds of rows.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from coord.conferences.models import CaseConference, ConferenceInvitee
from coord.core.localtime import LOCAL_TZ
from coord.directory.models import (
    Committee,
    CommitteeMembership,
    Organization,
    Person,
    PersonRole,
    Role,
    Sector,
)
from coord.extensions import db
from coord.meetings.models import Frequency, Meeting, MeetingGuest, MeetingSeries, MeetingStatus
from coord.meetings.rules import all_starts, last_start

REGIONS = (
    "Bas-Saint-Laurent",
    "Saguenay–Lac-Saint-Jean",
    "Capitale-Nationale",
    "Mauricie",
    "Estrie",
    "Montréal",
    "Outaouais",
    "Abitibi-Témiscamingue",
    "Côte-Nord",
    "Nord-du-Québec",
    "Gaspésie–Îles-de-la-Madeleine",
    "Chaudière-Appalaches",
    "Laval",
    "Lanaudière",
    "Laurentides",
    "Montérégie",
    "Centre-du-Québec",
)
ORGS_PER_REGION = 6
PEOPLE = 2_000
COMMITTEES_PER_REGION = 2
SERIES_PER_COMMITTEE = 3
SERIES_OCCURRENCES = 40
EVENTS = 50_000  # series + single meetings + case conferences
CONFERENCES = 15_000

BIG_FEED = 5_000
BIG_SERIES_AS_MEMBER = 2 * SERIES_PER_COMMITTEE  # the big person sits on both committees of region 0
BIG_SERIES_AS_GUEST = 4
BIG_COMMITTEE_MEETINGS = 300  # per committee of region 0
BIG_CONFERENCES_INVITED = 950
BIG_CONFERENCES_ORGANIZED = 50
BIG_GUEST_MEETINGS = (
    BIG_FEED
    - BIG_SERIES_AS_MEMBER
    - BIG_SERIES_AS_GUEST
    - 2 * BIG_COMMITTEE_MEETINGS
    - BIG_CONFERENCES_INVITED
    - BIG_CONFERENCES_ORGANIZED
)
BIG_OUTSIDE_WINDOW = 100  # meetings the big person is a guest of, before the window: not in the feed
BIG_UNPUBLISHED = 50  # drafts the big person is a guest of: not in the feed

SMALL_FEED = 50
SMALL_SERIES = 2
SMALL_CONFERENCES = 10
SMALL_MEETINGS = SMALL_FEED - SMALL_SERIES - SMALL_CONFERENCES

BIG_ID = 1
SMALL_ID = 2
PLACES = (
    "Salle Saint-Laurent, 1560 rue Sherbrooke Est",
    "Local 204, CLSC des Faubourgs",
    "Maison de quartier Hochelaga",
    "Poste de quartier 21",
    "École secondaire Jeanne-Mance, salle du conseil",
    "Centre jeunesse, pavillon Rose-Virginie-Pelletier",
    "Bureau régional, 3e étage",
    "",
)
DURATIONS = (30, 45, 60, 90, 120)


@dataclass(frozen=True)
class BareEvent:
    """What the bare-icalendar baseline writes for one event of the big person's feed."""

    uid: str
    start: datetime
    end: datetime
    title: str
    location: str
    url: str
    status: str
    sequence: int
    last_modified: datetime


@dataclass
class DataSet:
    people: int = 0
    events_total: int = 0
    big_person_id: int = BIG_ID
    small_person_id: int = SMALL_ID
    touch_person_id: int = PEOPLE  # a bystander: changing them raises the calendar generation
    big_events: list[BareEvent] = field(default_factory=list)
    rows: int = 0


class _Builder:
    def __init__(self, first_day: date, last_day: date, stamp: datetime, public_url: str) -> None:
        self.rng = random.Random(2026)
        self.first_day = first_day
        self.last_day = last_day
        self.stamp = stamp
        self.public_url = public_url.rstrip("/")
        self.committees = len(REGIONS) * COMMITTEES_PER_REGION
        self.others = list(range(SMALL_ID + 1, PEOPLE + 1))  # neither the big nor the small person
        self.other_committees = list(range(COMMITTEES_PER_REGION + 1, self.committees + 1))  # not region 0
        self.tables: dict[type, list[dict]] = {
            model: []
            for model in (
                Organization,
                Person,
                PersonRole,
                Committee,
                CommitteeMembership,
                MeetingSeries,
                Meeting,
                MeetingGuest,
                CaseConference,
                ConferenceInvitee,
            )
        }
        self.data = DataSet()

    # --- helpers
    def add(self, model: type, **row) -> int:
        rows = self.tables[model]
        if "id" in model.__table__.c and "id" not in row:
            row["id"] = len(rows) + 1
        rows.append(row)
        return row.get("id", 0)

    def slot(self, first: date, last: date) -> tuple[datetime, datetime]:
        day = first + timedelta(days=self.rng.randrange((last - first).days + 1))
        local = datetime.combine(day, time(self.rng.randrange(8, 18), self.rng.choice((0, 15, 30, 45))))
        start = local.replace(tzinfo=LOCAL_TZ).astimezone(UTC)
        return start, start + timedelta(minutes=self.rng.choice(DURATIONS))

    def in_window(self) -> tuple[datetime, datetime]:
        return self.slot(self.first_day, self.last_day)

    def some_others(self, low: int, high: int) -> list[int]:
        return self.rng.sample(self.others, self.rng.randint(low, high))

    def video(self, n: int) -> str:
        return f"https://visio.spheres.example/r/{n:06d}" if self.rng.random() < 0.3 else ""

    def stamps(self) -> dict:
        return {"created_at": self.stamp, "updated_at": self.stamp}

    def bare(self, uid: str, start, end, title, location, path, sequence=0) -> None:
        self.data.big_events.append(
            BareEvent(
                uid, start, end, title, location, self.public_url + path, "CONFIRMED", sequence, self.stamp
            )
        )

    # --- the directory
    def directory(self) -> None:
        sectors = list(Sector)
        for r, region in enumerate(REGIONS):
            for k in range(ORGS_PER_REGION):
                self.add(
                    Organization,
                    name=f"{sectors[k % len(sectors)].capitalize()} {k + 1} — {region}",
                    short_name=f"R{r + 1:02d}-O{k + 1}",
                    sector=sectors[k % len(sectors)],
                    region=region,
                    is_partner=k < 2,
                    active=True,
                    **self.stamps(),
                )
            for k in range(COMMITTEES_PER_REGION):
                self.add(
                    Committee,
                    code=f"R{r + 1:02d}-C{k + 1}",
                    name_fr=f"Comité {'régional' if k == 0 else 'clinique'} — {region}",
                    name_en=f"{'Regional' if k == 0 else 'Clinical'} committee — {region}",
                    description="",
                    active=True,
                )
        organizations = len(self.tables[Organization])
        for person_id in range(1, PEOPLE + 1):
            org_index = (person_id - 1) % organizations
            self.add(
                Person,
                email=f"personne{person_id}@bench.coord.test",
                display_name=f"Personne n° {person_id}",
                organization_id=org_index + 1,
                preferred_language="fr" if person_id % 5 else "en",
                active=True,
                password_hash=None,
                password_changed_at=None,
                totp_secret=None,
                totp_last_step=None,
                last_login_at=None,
                **self.stamps(),
            )
            self.add(PersonRole, person_id=person_id, role=Role.INTERVENANT)
            if person_id == SMALL_ID:
                continue  # on no committee: every event of theirs comes from an invitation
            region = org_index // ORGS_PER_REGION
            committees = range(COMMITTEES_PER_REGION) if person_id == BIG_ID else [person_id % 2]
            for k in committees:
                self.add(
                    CommitteeMembership,
                    committee_id=region * COMMITTEES_PER_REGION + k + 1,
                    person_id=person_id,
                    role="member",
                    created_at=self.stamp,
                )
        self.data.people = PEOPLE

    # --- meetings
    def series(self) -> None:
        small_guest_series = 0
        big_guest_series = 0
        for committee_id in range(1, self.committees + 1):
            for _ in range(SERIES_PER_COMMITTEE):
                first_start, end = self.slot(self.first_day, self.first_day + timedelta(days=60))
                duration = int((end - first_start).total_seconds() // 60)
                shape = MeetingSeries(
                    first_start=first_start,
                    frequency=Frequency.WEEKLY,
                    repeat_interval=1,
                    until_date=None,
                    count=SERIES_OCCURRENCES,
                )
                series_id = len(self.tables[MeetingSeries]) + 1
                title = f"Comité {committee_id} — rencontre hebdomadaire {series_id}"
                location = self.rng.choice(PLACES)
                self.add(
                    MeetingSeries,
                    committee_id=committee_id,
                    title=title,
                    location=location,
                    video_url=self.video(series_id),
                    first_start=first_start,
                    duration_minutes=duration,
                    frequency=Frequency.WEEKLY,
                    repeat_interval=1,
                    until_date=None,
                    count=SERIES_OCCURRENCES,
                    last_start=last_start(shape),
                    status=MeetingStatus.PLANNED,
                    sequence=0,
                    published_at=self.stamp,
                    created_by_id=None,
                    **self.stamps(),
                )
                cancelled = all_starts(shape)[1]
                self.meeting(
                    series_id=series_id,
                    original_start=cancelled,
                    committee_id=committee_id,
                    title=title,
                    start=cancelled,
                    end=cancelled + (end - first_start),
                    status=MeetingStatus.CANCELLED,
                )
                guests = set(self.some_others(0, 2))
                seen_by_big = committee_id <= COMMITTEES_PER_REGION
                if not seen_by_big and big_guest_series < BIG_SERIES_AS_GUEST:
                    guests.add(BIG_ID)
                    big_guest_series += 1
                    seen_by_big = True
                elif committee_id > COMMITTEES_PER_REGION and small_guest_series < SMALL_SERIES:
                    guests.add(SMALL_ID)
                    small_guest_series += 1
                for person_id in sorted(guests):
                    self.add(MeetingGuest, meeting_id=None, series_id=series_id, person_id=person_id)
                if seen_by_big:
                    self.bare(
                        f"meeting-series-{series_id}@coord.spheres",
                        first_start,
                        end,
                        title,
                        location,
                        f"/meetings/series/{series_id}",
                    )

    def meeting(
        self,
        *,
        committee_id: int | None,
        title: str,
        start: datetime,
        end: datetime,
        guests: Iterable[int] = (),
        series_id: int | None = None,
        original_start: datetime | None = None,
        status: str = MeetingStatus.PLANNED,
        published: bool = True,
    ) -> int:
        meeting_id = len(self.tables[Meeting]) + 1
        self.add(
            Meeting,
            series_id=series_id,
            original_start=original_start,
            committee_id=committee_id,
            title=title,
            starts_at=start,
            ends_at=end,
            location=self.rng.choice(PLACES),
            video_url=self.video(meeting_id),
            status=status,
            sequence=0,
            published_at=self.stamp if published else None,
            notes="Ordre du jour : suivi des situations, concertation, varia.",
            created_by_id=None,
            **self.stamps(),
        )
        for person_id in sorted(set(guests)):
            self.add(MeetingGuest, meeting_id=meeting_id, series_id=None, person_id=person_id)
        return meeting_id

    def single(self, committee_id: int | None, guests: list[int], *, when=None, published=True, bare=False):
        start, end = when or self.in_window()
        meeting_id = len(self.tables[Meeting]) + 1
        title = f"Rencontre de concertation n° {meeting_id}"
        self.meeting(
            committee_id=committee_id, title=title, start=start, end=end, guests=guests, published=published
        )
        if bare:
            row = self.tables[Meeting][-1]
            self.bare(
                f"meeting-{meeting_id}@coord.spheres",
                start,
                end,
                title,
                row["location"],
                f"/meetings/{meeting_id}",
            )

    def other_committee(self) -> int | None:
        return None if self.rng.random() < 0.2 else self.rng.choice(self.other_committees)

    def singles(self, count: int) -> None:
        for k in range(1, COMMITTEES_PER_REGION + 1):
            for _ in range(BIG_COMMITTEE_MEETINGS):
                self.single(k, self.some_others(0, 2), bare=True)
        for _ in range(BIG_GUEST_MEETINGS):
            self.single(self.other_committee(), [BIG_ID, *self.some_others(0, 2)], bare=True)
        before = self.first_day - timedelta(days=30)
        for _ in range(BIG_OUTSIDE_WINDOW):
            when = self.slot(before - timedelta(days=365), before)
            self.single(self.other_committee(), [BIG_ID, *self.some_others(0, 2)], when=when)
        for _ in range(BIG_UNPUBLISHED):
            self.single(self.other_committee(), [BIG_ID, *self.some_others(0, 2)], published=False)
        for _ in range(SMALL_MEETINGS):
            self.single(self.rng.choice(self.other_committees), [SMALL_ID, *self.some_others(0, 2)])
        singles = sum(1 for row in self.tables[Meeting] if row["series_id"] is None)
        for _ in range(count - singles):
            self.single(self.other_committee(), self.some_others(0, 3))

    # --- case conferences
    def conference(self, organizer_id: int, invitees: list[int], bare: bool = False) -> None:
        start, end = self.in_window()
        conference_id = len(self.tables[CaseConference]) + 1
        location = self.rng.choice(PLACES)
        title = f"Concertation clinique — dossier {conference_id:05d}"
        self.add(
            CaseConference,
            title=title,
            notes="Situation suivie en concertation (contenu confidentiel).",
            starts_at=start,
            ends_at=end,
            location=location,
            video_url=self.video(conference_id),
            status="planned",
            sequence=0,
            organizer_id=organizer_id,
            **self.stamps(),
        )
        for person_id in sorted(set(invitees) - {organizer_id}):
            self.add(ConferenceInvitee, conference_id=conference_id, person_id=person_id)
        if bare:
            uid = f"case-conference-{conference_id}@coord.spheres"
            self.bare(uid, start, end, title, location, f"/conferences/{conference_id}")

    def conferences(self, count: int) -> None:
        for _ in range(BIG_CONFERENCES_INVITED):
            self.conference(self.rng.choice(self.others), [BIG_ID, *self.some_others(1, 3)], bare=True)
        for _ in range(BIG_CONFERENCES_ORGANIZED):
            self.conference(BIG_ID, self.some_others(2, 3), bare=True)
        for _ in range(SMALL_CONFERENCES):
            self.conference(self.rng.choice(self.others), [SMALL_ID, *self.some_others(1, 3)])
        for _ in range(count - len(self.tables[CaseConference])):
            self.conference(self.rng.choice(self.others), self.some_others(2, 4))

    def build(self) -> DataSet:
        self.directory()
        self.series()
        series = len(self.tables[MeetingSeries])
        self.singles(EVENTS - CONFERENCES - series)
        self.conferences(CONFERENCES)
        singles = sum(1 for row in self.tables[Meeting] if row["series_id"] is None)
        self.data.events_total = series + singles + len(self.tables[CaseConference])
        self.data.big_events.sort(key=lambda event: (event.start, event.uid))
        return self.data


def _reset_sequences(models) -> None:
    """PostgreSQL: rows went in with explicit ids, so move each id sequence past them."""
    for model in models:
        if "id" not in model.__table__.c:
            continue
        sequence = sa.func.pg_get_serial_sequence(model.__tablename__, "id")
        highest = sa.select(sa.func.max(model.__table__.c.id)).scalar_subquery()
        db.session.execute(sa.select(sa.func.setval(sequence, highest)))


def build(first_day: date, last_day: date, stamp: datetime, public_url: str) -> DataSet:
    """Insert the data set (in an app context, on an empty database) and commit; in-window events fall
    between `first_day` and `last_day` (local dates)."""
    builder = _Builder(first_day, last_day, stamp, public_url)
    data = builder.build()
    for model, rows in builder.tables.items():
        if rows:
            db.session.execute(sa.insert(model), rows)
        data.rows += len(rows)
    if db.engine.dialect.name == "postgresql":
        _reset_sequences(builder.tables)
    db.session.commit()
    # Statistics, as autovacuum gathers them after a bulk load: without them PostgreSQL plans for empty
    # tables (a hash join over every meeting instead of its primary key).
    with db.engine.connect() as connection:
        connection.execute(sa.text("ANALYZE"))
        connection.commit()
    return data
