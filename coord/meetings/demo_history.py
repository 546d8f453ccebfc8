"""Demo content of the clinical committee: past meetings with attendance, approved minutes, decisions and
actions (some still open), and the next meeting with a published agenda. Fictitious, no participant data."""

from __future__ import annotations

from datetime import datetime, timedelta

from coord.directory.models import Person
from coord.extensions import db
from coord.meetings.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    Decision,
    ItemKind,
    Meeting,
    MeetingSeries,
    Minutes,
    MinutesRevision,
    MinutesState,
    Presence,
)

PAST_AGENDA = [
    ("Mot de bienvenue et adoption de l'ordre du jour", ItemKind.INFORMATION, 5),
    ("Suivi des actions de la dernière rencontre", ItemKind.DISCUSSION, 15),
    ("Trajectoires de référence entre partenaires", ItemKind.DISCUSSION, 40),
    ("Calendrier des formations du printemps", ItemKind.DECISION, 30),
    ("Varia", ItemKind.INFORMATION, 10),
]


def _agenda(meeting: Meeting, people: dict[str, Person], items=PAST_AGENDA) -> list[AgendaItem]:
    presenters = [people["coordinator"], None, people["intervenant"], people["partner"], None]
    rows = [
        AgendaItem(
            meeting_id=meeting.id,
            position=n,
            title=title,
            kind=kind,
            duration_minutes=minutes,
            presenter_id=presenters[n].id if presenters[n] else None,
            presenter_name="" if presenters[n] else "Coordination",
            description="",
        )
        for n, (title, kind, minutes) in enumerate(items)
    ]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def _approval(meetings: list[Meeting], number: int, now: datetime) -> tuple[datetime, Meeting | None]:
    """When each meeting's minutes were approved, and where: at the next meeting when it was held, else by
    the coordinator between meetings, two weeks after (never later than now)."""
    meeting = meetings[number]
    if number + 1 < len(meetings):
        later = meetings[number + 1]
        return later.starts_at + timedelta(minutes=10), later
    return min(meeting.ends_at + timedelta(days=14), now - timedelta(hours=1)), None


def seed_past_meetings(
    series: MeetingSeries, meetings: list[Meeting], people: dict[str, Person], now: datetime
) -> None:
    """Two past meetings (each held at least two days ago): attendance, approved minutes (two revisions),
    decisions, actions. Every date is in the past, in order: written, circulated, approved."""
    coordinator = people["coordinator"]
    db.session.add_all(meetings)
    db.session.flush()
    for number, meeting in enumerate(meetings):
        items = _agenda(meeting, people)
        meeting.agenda_published_at = meeting.starts_at - timedelta(days=7)
        meeting.quorum_needed = 3  # a majority of the committee's four demo members
        for name, presence in (
            ("coordinator", Presence.PRESENT),
            ("intervenant", Presence.PRESENT),
            ("police", Presence.EXCUSED if number else Presence.PRESENT),
            ("partner", Presence.PRESENT),
        ):
            db.session.add(
                Attendance(
                    meeting_id=meeting.id,
                    person_id=people[name].id,
                    presence=presence,
                    member=True,
                    recorded_by_id=coordinator.id,
                )
            )
        decision = Decision(  # under the item it settles: the trainings' calendar, or the referral paths
            meeting_id=meeting.id,
            agenda_item_id=items[3].id if number == 0 else items[2].id,
            position=0,
            text="Les formations du printemps auront lieu en mars et en avril, en présentiel à Montréal."
            if number == 0
            else "Le comité adopte la trajectoire de référence révisée entre partenaires.",
        )
        db.session.add(decision)
        actions = [
            ActionItem(
                meeting_id=meeting.id,
                committee_id=series.committee_id,
                agenda_item_id=items[2].id,
                description="Rédiger la fiche de référence commune"
                if number == 0
                else "Présenter la trajectoire aux équipes du SPVM",
                owner_id=people["intervenant" if number == 0 else "police"].id,
                due_date=(meeting.starts_at + timedelta(days=45)).date(),
                status=ActionStatus.OPEN,
            ),
            ActionItem(
                meeting_id=meeting.id,
                committee_id=series.committee_id,
                agenda_item_id=items[3].id,
                description="Réserver les salles pour les formations",
                owner_id=coordinator.id,
                due_date=(meeting.starts_at + timedelta(days=14)).date(),
                status=ActionStatus.DONE if number == 0 else ActionStatus.OPEN,
                done_on=(meeting.starts_at + timedelta(days=10)).date() if number == 0 else None,
                closed_by_id=coordinator.id if number == 0 else None,
            ),
        ]
        db.session.add_all(actions)
        content = {
            "general": "Rencontre tenue en mode hybride.",
            "items": {
                str(items[2].id): "Tour de table des trajectoires actuelles\u00a0; points de friction notés.",
                str(items[3].id): "Discussion des dates possibles avec les partenaires.",
            },
        }
        approved_at, adopted_at = _approval(meetings, number, now)
        minutes = Minutes(
            meeting_id=meeting.id,
            state=MinutesState.APPROVED,
            revision=2,
            content=content,
            circulated_at=meeting.ends_at + timedelta(days=1),
            approved_at=approved_at,
            approved_by_id=coordinator.id,
            adopted_at_meeting_id=adopted_at.id if adopted_at is not None else None,
        )
        db.session.add(minutes)
        db.session.flush()
        db.session.flush()
        snapshot = {
            "content": content,
            "agenda": [{"id": item.id, "title": item.title} for item in items],
            "decisions": [{"item": decision.agenda_item_id, "text": decision.text}],
            "actions": [
                {
                    "id": a.id,
                    "item": a.agenda_item_id,
                    "description": a.description,
                    "owner": next(p.display_name for p in people.values() if p.id == a.owner_id),
                    "due_date": a.due_date.isoformat(),
                    "status": str(a.status),
                    "done_on": a.done_on.isoformat() if a.done_on else None,
                }
                for a in actions
            ],
        }
        db.session.add_all(
            [
                MinutesRevision(
                    minutes_id=minutes.id,
                    number=1,
                    state=MinutesState.DRAFT,
                    author_id=coordinator.id,
                    snapshot=snapshot,
                    created_at=meeting.ends_at + timedelta(hours=6),
                ),
                MinutesRevision(
                    minutes_id=minutes.id,
                    number=2,
                    state=MinutesState.CIRCULATED,
                    author_id=coordinator.id,
                    snapshot=snapshot,
                    created_at=meeting.ends_at + timedelta(days=1),
                ),
            ]
        )


def seed_next_agenda(meeting: Meeting, people: dict[str, Person], now: datetime) -> None:
    _agenda(
        meeting,
        people,
        [
            ("Mot de bienvenue et adoption de l'ordre du jour", ItemKind.INFORMATION, 5),
            ("Suivi des actions", ItemKind.DISCUSSION, 20),
            ("Bilan des références du trimestre", ItemKind.DISCUSSION, 45),
            ("Adoption du plan de sensibilisation dans les écoles", ItemKind.DECISION, 40),
            ("Varia", ItemKind.INFORMATION, 10),
        ],
    )
    meeting.agenda_published_at = now
