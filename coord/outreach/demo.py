"""Demo awareness sessions, all fictitious: three presenters with their weekly availability, the booking
rules, and requests in every state from schools, maisons des jeunes, CLSCs, a hospital, a police station and
shelters of Montréal, Laval and the Montérégie; held sessions with their outcomes over the past year.

Written directly with the models (no e-mail leaves for demo data; `booking.assign` refuses the past), at
times taken in each presenter's windows that meet none of their other sessions (travel time included) nor
their other coord commitments (the calendar's free/busy service); dates relative to today. Seeding twice adds
nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from coord.calendar.freebusy import conflicts
from coord.core.localtime import LOCAL_TZ, local_today, utcnow
from coord.directory.models import Organization, Person
from coord.extensions import db
from coord.outreach.booking import week_bounds
from coord.outreach.models import (
    Assignment,
    AvailabilityWindow,
    CancelledBy,
    HistoryKind,
    OutreachRequest,
    PreferredWindow,
    Presenter,
    RequestHistory,
    RequestState,
)
from coord.outreach.settings import current as current_settings

DOMAIN = "demo.coord.test"

# local part of the demo account, languages, windows (weekday, start, end)
PRESENTERS = (
    ("intervenant", "fr", ((1, time(9), time(12)), (1, time(13), time(16)), (3, time(13), time(16, 30)))),
    ("police", "fr,en", ((2, time(9), time(12)), (2, time(13, 30), time(16)), (4, time(9), time(12)))),
    ("partner", "fr,en", ((0, time(13), time(16)), (3, time(9), time(12)))),
)


@dataclass
class Ask:
    """One demo request: who asks, for whom, and what became of it."""

    organization: str
    milieu: str
    region: str
    contact: str
    email: str
    phone: str
    audiences: str
    size: int
    format: str
    address: str = ""
    details: str = ""
    language: str = "fr"
    short_name: str = ""  # an organization of the directory
    requester: str = ""  # the demo account who asked, signed in
    state: str = RequestState.REQUESTED
    days: int = 0  # the session's day, from today (negative: past); 0 with windows: none
    presenters: tuple[str, ...] = ()
    windows: tuple[tuple[int, time, time], ...] = ()  # (days from today, start, end)
    asked_days_before: int = 21
    outcome: dict = field(default_factory=dict)
    reason: str = ""
    cancelled_by: str = ""
    reschedule_note: str = ""
    video_url: str = ""


ASKS = (
    # Held over the past year, with their outcomes.
    Ask(
        "École secondaire Jeanne-Mance",
        "school",
        "06",
        "Julie Demandeuse",
        "requester@demo.coord.test",
        "514 596-4844",
        "youth",
        120,
        "in_person",
        "4240, rue De Bordeaux, Montréal",
        "Deux groupes de 4e secondaire, dans le cadre du cours d'éthique et culture religieuse.",
        short_name="ESJM",
        requester="requester",
        state=RequestState.HELD,
        days=-300,
        presenters=("intervenant",),
        outcome={
            "people_reached": 112,
            "audiences": "youth",
            "notes": "Deux groupes attentifs\u00a0; beaucoup de questions sur le recrutement par les réseaux "
            "sociaux. L'enseignante souhaite refaire l'activité l'an prochain.",
        },
    ),
    Ask(
        "Maison des jeunes de Saint-Michel",
        "youth_centre",
        "06",
        "Yasmine Haddad",
        "animation@mdj-saint-michel.example",
        "514 722-1851",
        "youth",
        25,
        "in_person",
        "7110, 8e Avenue, Montréal",
        short_name="MDJSM",
        state=RequestState.HELD,
        days=-250,
        presenters=("police", "intervenant"),
        outcome={
            "people_reached": 22,
            "audiences": "youth",
            "notes": "Soirée animée en duo police–intervenant\u00a0; échanges francs sur les « offres "
            "d'emploi » trop belles.",
            "questions": "Deux jeunes veulent savoir comment joindre une intervenante en dehors de la "
            "maison des jeunes\u00a0: transmettre les coordonnées d'En Marge 12-17 à l'animatrice.",
        },
    ),
    Ask(
        "CLSC de Parc-Extension",
        "clsc",
        "06",
        "Martin Lévesque",
        "m.levesque@clsc-parc-ex.example",
        "514 273-9591",
        "staff",
        30,
        "in_person",
        "7085, rue Hutchison, Montréal",
        "Équipe jeunesse et équipe de santé sexuelle.",
        state=RequestState.HELD,
        days=-200,
        presenters=("partner",),
        outcome={
            "people_reached": 28,
            "audiences": "staff",
            "training": True,
            "notes": "L'équipe jeunesse veut la formation complète du programme pour ses nouvelles recrues.",
        },
    ),
    Ask(
        "École secondaire Curé-Antoine-Labelle",
        "school",
        "13",
        "Stéphanie Gagnon",
        "s.gagnon@cal-laval.example",
        "450 662-7000",
        "youth",
        180,
        "in_person",
        "216, boulevard Marc-Aurèle-Fortin, Laval",
        state=RequestState.HELD,
        days=-160,
        presenters=("police",),
        outcome={
            "people_reached": 175,
            "audiences": "youth",
            "notes": "Auditorium, trois groupes de 5e secondaire. Prévoir un micro sans fil la "
            "prochaine fois.",
        },
    ),
    Ask(
        "Refuge des jeunes de Montréal",
        "homelessness",
        "06",
        "Patrick Ouellet",
        "intervention@refuge-jeunes.example",
        "514 849-4221",
        "staff",
        15,
        "in_person",
        "1836, rue Sainte-Catherine Est, Montréal",
        short_name="REFUGE",
        state=RequestState.HELD,
        days=-120,
        presenters=("intervenant",),
        outcome={
            "people_reached": 14,
            "audiences": "staff",
            "notes": "Intervenants de nuit\u00a0; repérage des signes et trajectoires de référence.",
        },
    ),
    Ask(
        "Carrefour jeunesse-emploi Marguerite-D'Youville",
        "community",
        "16",
        "Audrey Bélanger",
        "a.belanger@cje-mdy.example",
        "450 646-6060",
        "youth",
        20,
        "virtual",
        state=RequestState.HELD,
        days=-90,
        presenters=("partner",),
        video_url="https://teams.example.org/sensibilisation-cje",
        outcome={
            "people_reached": 18,
            "audiences": "youth",
            "notes": "Groupe du programme Départ@9\u00a0; séance virtuelle, caméras ouvertes.",
        },
    ),
    Ask(
        "Dawson College — Student Services",
        "school",
        "06",
        "Rachel Cohen",
        "r.cohen@dawson.example",
        "514 931-8731",
        "staff",
        25,
        "in_person",
        "3040, rue Sherbrooke Ouest, Montréal",
        "Student life counsellors and residence staff.",
        language="en",
        state=RequestState.HELD,
        days=-45,
        presenters=("police",),
        outcome={
            "people_reached": 23,
            "audiences": "staff",
            "training": True,
            "notes": "Session in English. Counsellors asked for the full training in the fall.",
        },
    ),
    Ask(
        "SPVM — Poste de quartier 39 (Montréal-Nord)",
        "police",
        "06",
        "Sgt Éric Dufresne",
        "pdq39@spvm-demo.example",
        "514 280-0139",
        "staff",
        30,
        "in_person",
        "11371, avenue Salk, Montréal",
        state=RequestState.HELD,
        days=-30,
        presenters=("intervenant",),
        outcome={
            "people_reached": 27,
            "audiences": "staff",
            "notes": "Patrouilleurs des relèves de jour et de soir\u00a0; présentation du programme "
            "Les Survivantes.",
        },
    ),
    Ask(
        "École secondaire Jacques-Rousseau",
        "school",
        "16",
        "Nadia Boucher",
        "n.boucher@jacques-rousseau.example",
        "450 651-6800",
        "parents",
        60,
        "in_person",
        "444, rue de Gentilly Est, Longueuil",
        "Rencontre du comité de parents.",
        state=RequestState.HELD,
        days=-20,
        presenters=("intervenant",),
        outcome={
            "people_reached": 41,
            "audiences": "parents,staff",
            "notes": "Parents et quelques enseignants\u00a0; demande d'un feuillet à remettre aux familles.",
        },
    ),
    # A session held three days ago whose outcome is still to record.
    Ask(
        "Maison des jeunes L'Ouverture",
        "youth_centre",
        "06",
        "Kevin Tremblay",
        "mdj.ouverture@example.org",
        "514 376-7412",
        "youth",
        18,
        "in_person",
        "5370, 6e Avenue, Montréal",
        state=RequestState.CONFIRMED,
        days=-3,
        presenters=("police",),
    ),
    # Confirmed, in the coming weeks.
    Ask(
        "Maison des jeunes du Marigot",
        "youth_centre",
        "13",
        "Léa Fortin",
        "lea.fortin@mdj-marigot.example",
        "450 662-4902",
        "youth",
        20,
        "in_person",
        "1035, boulevard des Laurentides, Laval",
        state=RequestState.CONFIRMED,
        days=6,
        presenters=("police",),
        asked_days_before=30,
    ),
    Ask(
        "École secondaire Jeanne-Mance",
        "school",
        "06",
        "Julie Demandeuse",
        "requester@demo.coord.test",
        "514 596-4844",
        "staff",
        45,
        "in_person",
        "4240, rue De Bordeaux, Montréal",
        "Journée pédagogique\u00a0: tout le personnel enseignant et les TES.",
        short_name="ESJM",
        requester="requester",
        state=RequestState.CONFIRMED,
        days=16,
        presenters=("intervenant", "partner"),
        reschedule_note="La journée pédagogique est déplacée d'une semaine\u00a0: serait-il possible de "
        "venir le jeudi suivant\u00a0?",
    ),
    Ask(
        "CLSC de Montréal-Nord",
        "clsc",
        "06",
        "Sabrina Joseph",
        "s.joseph@clsc-mtl-nord.example",
        "514 384-2000",
        "staff",
        25,
        "virtual",
        state=RequestState.CONFIRMED,
        days=24,
        presenters=("partner",),
        video_url="https://teams.example.org/sensibilisation-clsc-mtl-nord",
    ),
    Ask(
        "Maison Passages",
        "homelessness",
        "06",
        "Geneviève Roy",
        "g.roy@maison-passages.example",
        "514 875-8119",
        "youth",
        12,
        "in_person",
        "Adresse transmise à l'intervenant·e (ressource confidentielle)",
        "Jeunes femmes hébergées\u00a0; petit groupe, ambiance de discussion.",
        state=RequestState.CONFIRMED,
        days=33,
        presenters=("intervenant",),
    ),
    # Waiting for an answer: one on an open slot (the presenter's time is held), two with preferred windows.
    Ask(
        "École secondaire Père-Marquette",
        "school",
        "06",
        "François Caron",
        "f.caron@pere-marquette.example",
        "514 596-5800",
        "youth",
        90,
        "in_person",
        "6030, rue Marquette, Montréal",
        state=RequestState.REQUESTED,
        days=20,
        presenters=("intervenant",),
        asked_days_before=2,
    ),
    Ask(
        "Maison des jeunes de Sainte-Rose",
        "youth_centre",
        "13",
        "Mathieu Pelletier",
        "coordination@mdj-sainte-rose.example",
        "450 625-3131",
        "youth",
        15,
        "in_person",
        "255, boulevard Sainte-Rose, Laval",
        "Après l'école, vers 16 h, c'est idéal pour nos jeunes.",
        state=RequestState.REQUESTED,
        windows=(
            (15, time(15, 30), time(17, 30)),
            (19, time(15, 30), time(17, 30)),
            (22, time(15), time(17)),
        ),
        asked_days_before=5,
    ),
    Ask(
        "Carrefour jeunesse-emploi de Saint-Laurent",
        "community",
        "06",
        "Amira Benali",
        "a.benali@cje-st-laurent.example",
        "514 855-0844",
        "youth,staff",
        30,
        "virtual",
        state=RequestState.REQUESTED,
        windows=((13, time(10), time(12)), (27, time(13, 30), time(15, 30))),
        asked_days_before=1,
    ),
    # Declined and cancelled.
    Ask(
        "Comité de parents du CSS de la Pointe-de-l'Île",
        "other",
        "06",
        "Hélène Côté",
        "h.cote@parents-cspi.example",
        "514 642-9520",
        "parents",
        200,
        "in_person",
        "550, 53e Avenue, Montréal",
        state=RequestState.DECLINED,
        windows=((9, time(19), time(21)),),
        asked_days_before=4,
        reason="Une soirée de 200 parents dépasse le format d'une séance de sensibilisation\u00a0: nous vous "
        "proposons la conférence ouverte de la formation annuelle, au printemps.",
    ),
    Ask(
        "École secondaire Pierre-Laporte",
        "school",
        "06",
        "Vincent Morin",
        "v.morin@pierre-laporte.example",
        "514 596-5100",
        "youth",
        60,
        "in_person",
        "1101, chemin Rockland, Montréal",
        state=RequestState.CANCELLED,
        days=-40,
        presenters=("partner",),
        cancelled_by=CancelledBy.REQUESTER,
        reason="École fermée ce jour-là (tempête de neige).",
    ),
    Ask(
        "Maison des jeunes de Saint-Hubert",
        "youth_centre",
        "16",
        "Olivier Girard",
        "o.girard@mdj-st-hubert.example",
        "450 678-2310",
        "youth",
        20,
        "in_person",
        "5245, boulevard Cousineau, Longueuil",
        state=RequestState.CANCELLED,
        days=12,
        presenters=("intervenant",),
        cancelled_by=CancelledBy.PROGRAM,
        reason="L'intervenant est absent pour maladie\u00a0: nous vous écrivons pour convenir d'une "
        "autre date.",
    ),
)


def _person(local_part: str) -> Person | None:
    return db.session.scalar(select(Person).where(Person.email == f"{local_part}@{DOMAIN}"))


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=LOCAL_TZ)


class Planner:
    """Finds session times in a presenter's windows that meet nothing else the presenters have."""

    def __init__(self, length: timedelta, buffer: timedelta, max_per_week: int) -> None:
        self.length, self.buffer, self.max_per_week = length, buffer, max_per_week
        self.held: dict[int, list[tuple[datetime, datetime]]] = {}
        self.weeks: Counter = Counter()

    def free(self, presenter: Presenter, start: datetime) -> bool:
        end = start + self.length
        busy_from, busy_until = start - self.buffer, end + self.buffer
        if any(a < busy_until and b > busy_from for a, b in self.held.get(presenter.id, [])):
            return False
        if self.weeks[(presenter.id, week_bounds(start)[0])] >= self.max_per_week:
            return False
        found = conflicts(presenter.person_id, busy_from, busy_until)
        return not [busy for busy in found if not busy.uid.startswith("outreach-")]

    def place(self, presenters: list[Presenter], first_day: date) -> datetime:
        """The first start, on or after that day, in the first presenter's windows, free for all of them."""
        lead = presenters[0]
        for offset in range(90):
            day = first_day + timedelta(days=offset)
            for window in lead.windows:
                if window.weekday != day.weekday():
                    continue
                start = _local(day, window.starts)
                if start + self.length <= _local(day, window.ends) and all(
                    self.free(p, start) for p in presenters
                ):
                    return start
        raise RuntimeError("no free time for the demo session")  # pragma: no cover (90 days of windows)

    def hold(self, presenter: Presenter, start: datetime) -> None:
        self.held.setdefault(presenter.id, []).append(
            (start - self.buffer, start + self.length + self.buffer)
        )
        self.weeks[(presenter.id, week_bounds(start)[0])] += 1


def _presenters() -> dict[str, Presenter]:
    presenters = {}
    for local_part, languages, windows in PRESENTERS:
        person = _person(local_part)
        if person is None:
            continue
        presenter = Presenter(person=person, languages=languages, active=True)
        presenter.windows = [AvailabilityWindow(weekday=w, starts=s, ends=e) for w, s, e in windows]
        db.session.add(presenter)
        presenters[local_part] = presenter
    db.session.flush()
    return presenters


def seed(password: str | None = None) -> None:
    if db.session.scalar(select(Presenter.id).limit(1)) is not None:
        return
    settings = current_settings()
    presenters = _presenters()
    coordinator = _person("coordinator")
    if len(presenters) < len(PRESENTERS) or coordinator is None:
        return  # the directory's demo accounts are not there: nothing believable to add
    organizations = {o.short_name: o for o in db.session.scalars(select(Organization))}
    planner = Planner(
        timedelta(minutes=settings.session_minutes),
        timedelta(minutes=settings.buffer_minutes),
        settings.max_per_week,
    )
    today, now = local_today(), utcnow()
    for ask in ASKS:
        _request(ask, presenters, organizations, coordinator, planner, today, now)


def _request(
    ask: Ask, presenters, organizations, coordinator, planner: Planner, today: date, now: datetime
) -> None:
    chosen = [presenters[name] for name in ask.presenters]
    starts_at = planner.place(chosen, today + timedelta(days=ask.days)) if chosen else None
    ends_at = starts_at + planner.length if starts_at else None
    anchor = starts_at.date() if starts_at else today
    asked_at = _local(min(anchor, today) - timedelta(days=ask.asked_days_before), time(10, 15))
    if starts_at is not None and ask.state != RequestState.REQUESTED:
        asked_at = min(asked_at, _local(anchor - timedelta(days=30), time(10, 15)))
    organization = organizations.get(ask.short_name)
    request = OutreachRequest(
        state=ask.state,
        organization_id=organization.id if organization else None,
        organization_name=ask.organization,
        milieu=ask.milieu,
        region=ask.region,
        contact_name=ask.contact,
        contact_email=ask.email,
        contact_phone=ask.phone,
        language=ask.language,
        audiences=ask.audiences,
        expected_size=ask.size,
        format=ask.format,
        address=ask.address if ask.format == "in_person" else "",
        details=ask.details,
        requested_by_id=_person(ask.requester).id if ask.requester else None,
        starts_at=starts_at,
        ends_at=ends_at,
        video_url=ask.video_url,
        sequence=1 if ask.state == RequestState.CANCELLED else 0,
        reschedule_asked=bool(ask.reschedule_note),
        created_at=asked_at,
        updated_at=asked_at,
    )
    request.windows = [
        PreferredWindow(
            starts_at=_local(today + timedelta(days=d), s), ends_at=_local(today + timedelta(days=d), e)
        )
        for d, s, e in ask.windows
    ]
    for presenter in chosen:
        planner.hold(presenter, starts_at)
        request.assignments.append(
            Assignment(
                presenter=presenter,
                busy_from=starts_at - planner.buffer,
                busy_until=ends_at + planner.buffer,
                active=ask.state != RequestState.CANCELLED,
            )
        )
    history = [RequestHistory(kind=HistoryKind.REQUESTED, at=asked_at, starts_at=starts_at)]
    answered = min(asked_at + timedelta(days=2), now)
    if ask.state in (RequestState.CONFIRMED, RequestState.HELD, RequestState.CANCELLED) and chosen:
        history.append(
            RequestHistory(
                kind=HistoryKind.CONFIRMED, at=answered, actor_id=coordinator.id, starts_at=starts_at
            )
        )
    if ask.reschedule_note:
        history.append(
            RequestHistory(
                kind=HistoryKind.RESCHEDULE_ASKED,
                at=min(answered + timedelta(days=3), now),
                note=ask.reschedule_note,
            )
        )
    if ask.state == RequestState.DECLINED:
        request.decline_reason = ask.reason
        history.append(
            RequestHistory(kind=HistoryKind.DECLINED, at=answered, actor_id=coordinator.id, note=ask.reason)
        )
    if ask.state == RequestState.CANCELLED:
        request.cancelled_by, request.cancel_reason = ask.cancelled_by, ask.reason
        by_program = ask.cancelled_by == CancelledBy.PROGRAM
        cancelled_at = min(starts_at - timedelta(days=2), now)
        history.append(
            RequestHistory(
                kind=HistoryKind.CANCELLED,
                at=cancelled_at,
                actor_id=coordinator.id if by_program else request.requested_by_id,
                note=ask.reason,
            )
        )
        request.updated_at = cancelled_at
    if ask.state == RequestState.HELD:
        outcome = ask.outcome
        request.people_reached = outcome["people_reached"]
        request.outcome_audiences = outcome["audiences"]
        request.outcome_notes = outcome["notes"]
        request.wants_training = outcome.get("training", False)
        request.questions_to_route = outcome.get("questions", "")
        recorded = ends_at + timedelta(days=1)
        history.append(
            RequestHistory(
                kind=HistoryKind.HELD, at=recorded, actor_id=chosen[0].person_id, starts_at=starts_at
            )
        )
        request.updated_at = recorded
    if ask.state == RequestState.DECLINED:
        request.updated_at = answered
    request.history = history
    db.session.add(request)
    db.session.flush()
