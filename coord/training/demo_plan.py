"""What the training demo seeds: a year of sessions (days from today), the registrants' names, the places and
the organizations' requests. All fictitious; all text in French (module titles come from the catalogue)."""

from __future__ import annotations

from dataclasses import dataclass

from coord.training.models import Audience, SessionStatus

NBSP = "\u00a0"

PLACES = (
    "Centre Saint-Pierre, salle 205, 1212, rue Panet, Montréal (Québec) H2L 2Y7",
    "CIUSSS du Centre-Sud, salle de formation 3.12, 66, rue Sainte-Catherine Est, Montréal (Québec) H2X 1K6",
    "Maison du développement durable, salle Mezzanine, 50, rue Sainte-Catherine Ouest, Montréal (Québec) "
    "H2X 3V4",
    "Fondation Marie-Vincent, salle du conseil, 4689, avenue Papineau, Montréal (Québec) H2H 1V4",
    "Quartier général du SPVM, salle 1.08, 1441, rue Saint-Urbain, Montréal (Québec) H2X 2M6",
)
NOTES = (
    f"Apportez de quoi écrire{NBSP}; le dîner est libre (plusieurs restaurants à proximité).",
    f"Accès{NBSP}: métro Berri-UQAM, sortie rue Sainte-Catherine. Salle accessible en fauteuil roulant.",
    f"Formation à distance{NBSP}: branchez-vous 10 minutes avant le début pour vérifier le son.",
)


@dataclass(frozen=True)
class Guest:
    """A demo account's own registration, so that each account sees its states in "My trainings"."""

    account: str  # the demo account's local part (never one of the session's trainers)
    state: str  # "registered", "present", "partial" (past), "offered" or "waiting"
    position: int = 1  # on the waiting list


@dataclass(frozen=True)
class Plan:
    """One demo session: which module, around which day (from today), who gives it, and how full it is."""

    code: str
    days: int  # from today; the seed moves it to a weekday when its trainers are free
    trainers: tuple[str, ...]  # demo accounts' local parts
    audience: str = Audience.PARTNERS
    capacity: int = 20
    seats: int = 0  # registered (or, past, attended) people
    waiting: int = 0
    offered: bool = False  # a freed seat offered to the first person waiting (expires in 30 hours)
    unverified: int = 0  # outside people who have not opened their verification link yet
    cancelled: int = 0  # registrations cancelled by their person
    status: str = SessionStatus.CONFIRMED
    place: int | None = 0  # index in PLACES; None: by video link
    limit: int | None = None  # seats per organization
    reason: str = ""
    coordinator: bool = False  # the demo coordinator holds a seat
    afternoon: bool = False  # a half-day module given 13 h to 16 h 30
    guests: tuple[Guest, ...] = ()  # demo accounts (a seat, present or partial counts in `seats`)


PLANS = (
    # The past six months: attendance marked, attestations for those present.
    Plan("exploitation", -170, ("intervenant", "partner"), seats=18, place=1),
    Plan(
        "trauma",
        -150,
        ("partner",),
        Audience.OPEN,
        capacity=18,
        seats=16,
        place=2,
        guests=(Guest("intervenant", "present"),),
    ),
    Plan(
        "mi-initial",
        -130,
        ("intervenant",),
        Audience.OPEN,
        capacity=16,
        seats=15,
        cancelled=1,
        place=0,
        guests=(Guest("partner", "present"),),  # the prerequisite of continuing motivational interviewing
    ),
    Plan("networks", -110, ("police", "intervenant"), capacity=25, seats=22, place=4),
    Plan("change-wheel", -90, ("partner",), Audience.OPEN, seats=12, place=None, afternoon=True),
    Plan("entry", -70, ("intervenant",), seats=14, place=3),
    Plan("harm-reduction", -50, ("intervenant", "partner"), Audience.OPEN, capacity=24, seats=20, place=0),
    Plan("crisis", -30, ("partner",), seats=15, place=1, guests=(Guest("intervenant", "partial"),)),
    Plan("indigenous", -16, ("intervenant",), Audience.OPEN, seats=17, place=2),
    Plan("vicarious-trauma", -8, ("partner",), seats=11, place=None),
    # The next six months.
    Plan(
        "exploitation",
        14,
        ("intervenant", "partner"),
        Audience.OPEN,
        capacity=12,
        seats=11,
        offered=True,
        waiting=3,
        cancelled=1,
        place=0,
    ),
    Plan(
        "mi-continuing",
        24,
        ("intervenant",),
        capacity=10,
        seats=10,
        waiting=3,
        place=3,
        guests=(Guest("partner", "waiting", position=2),),
    ),
    Plan(
        "change-wheel",
        31,
        ("partner",),
        Audience.OPEN,
        seats=5,
        status=SessionStatus.CANCELLED,
        place=None,
        reason=f"La formatrice est en congé de maladie{NBSP}; la séance sera reprise à l'automne. Les "
        "personnes inscrites seront avisées en priorité.",
    ),
    Plan(
        "mi-initial",
        42,
        ("intervenant",),
        Audience.OPEN,
        seats=8,
        unverified=1,
        limit=3,
        place=2,
        guests=(Guest("requester", "registered"),),
    ),
    Plan(
        "networks",
        56,
        ("police", "intervenant"),
        capacity=12,
        seats=11,
        cancelled=1,
        waiting=2,
        coordinator=True,
        place=4,
        guests=(Guest("partner", "offered"),),
    ),
    Plan("crisis", 75, ("partner",), seats=4, place=1, guests=(Guest("intervenant", "registered"),)),
    Plan(
        "entry",
        92,
        ("intervenant",),
        Audience.OPEN,
        seats=3,
        place=None,
        afternoon=True,
        guests=(Guest("police", "registered"),),
    ),
    Plan("harm-reduction", 110, ("partner", "intervenant"), seats=2, place=3),
    Plan("indigenous", 125, (), Audience.OPEN, status=SessionStatus.PLANNED, place=0),
    Plan("vicarious-trauma", 150, ("partner",), place=None),
    Plan("trauma", 172, ("partner",), Audience.OPEN, place=2),
)

FIRST_NAMES = (
    "Amélie", "Benoît", "Chloé", "David", "Émilie", "François", "Geneviève", "Hugo", "Isabelle", "Jérôme",
    "Karine", "Louis", "Marie-Ève", "Nicolas", "Olivia", "Patrice", "Rosalie", "Samuel", "Thi Lan", "Valérie",
    "William", "Yasmine", "Zoé", "Mathieu", "Nadia", "Alexandre", "Catherine", "Jean-François", "Mélanie",
)  # fmt: skip
LAST_NAMES = (
    "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Gagné",
    "Ouellet", "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Leblanc", "Paquette", "Girard", "Simard",
    "Boucher", "Caron", "Beaulieu", "Cloutier", "Dubé", "Poirier", "Fournier", "Nguyen", "Diallo", "Joseph",
    "St-Louis", "Haddad",
)  # fmt: skip

# Outside organizations (not in the directory) whose people register from the public page.
OUTSIDE_ORGANIZATIONS = (
    "École secondaire Jeanne-Mance",
    "Maison des jeunes de Saint-Michel",
    "Carrefour jeunesse-emploi Centre-Nord",
    "CLSC de Parc-Extension",
    "Collège de Maisonneuve",
    "Maison d'hébergement Le Havre",
)
PARTNER_ORGANIZATIONS = ("CCSMTL", "CODIM", "SPVM", "FMV", "EM1217", "ANONYME")


@dataclass(frozen=True)
class Ask:
    """One demo request for a training."""

    code: str
    organization: str
    contact: str
    email: str
    audience: str
    size: int
    period: tuple[int, int]  # days from today
    details: str = ""
    short_name: str = ""  # an organization of the directory
    requester: str = ""  # the demo account who asked, signed in
    status: str = "open"
    reason: str = ""
    scheduled_code: str = ""  # the upcoming session it became (its module)


ASKS = (
    Ask(
        "exploitation", "École secondaire Jeanne-Mance", "Julie Demandeuse", "requester@demo.coord.test",
        "Personnel enseignant et professionnels (psychoéducation, travail social)", 30, (45, 120),
        "Journée pédagogique souhaitée, idéalement un vendredi.", short_name="ESJM", requester="requester",
    ),
    Ask(
        "harm-reduction", "Maison d'hébergement Le Havre", "Sylvie Marchand", "s.marchand@example.org",
        "Intervenantes de nuit et de jour", 12, (60, 150),
        f"Nous préférerions une formation sur place{NBSP}: nos intervenantes ne peuvent pas quitter "
        "la maison.",
    ),
    Ask(
        "trauma", "Refuge des jeunes de Montréal", "Marc-André Poulin", "ma.poulin@example.org",
        "Équipe d'intervention de rue", 15, (150, 200), short_name="REFUGE", status="scheduled",
        scheduled_code="trauma",
    ),
    Ask(
        "indigenous", "Carrefour jeunesse-emploi Centre-Nord", "Kevin Bastien", "k.bastien@example.org",
        "Conseillères et conseillers en emploi", 8, (20, 40), status="declined",
        reason=f"Le module ne se donne pas pour moins de 12 personnes{NBSP}; nous vous proposons de vous "
        "inscrire à la séance ouverte du printemps.",
    ),
)  # fmt: skip
