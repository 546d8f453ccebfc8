"""The catalogue: the program's training modules (cadre d'intervention commun, « La formation des
partenaires »), as the migration that created the catalogue seeded them, and the catalogue's pages. The
coordinator edits them afterwards; the codes are what tests and the demo rely on."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import NotFound

from coord import audit
from coord.core.errors import ServiceError
from coord.core.localtime import utcnow
from coord.core.locks import lock_row
from coord.core.permissions import may, require
from coord.core.text import check_multi_line, check_single_line
from coord.extensions import db
from coord.training.dates import typeset
from coord.training.models import Prerequisite, SessionStatus, TrainingModule, TrainingSession

# code, minutes, French title, English title; the descriptions and audiences live in the migration.
MODULE_CODES = (
    "exploitation",
    "networks",
    "entry",
    "harm-reduction",
    "trauma",
    "crisis",
    "change-wheel",
    "mi-initial",
    "mi-continuing",
    "indigenous",
    "vicarious-trauma",
)
PREREQUISITES = (("mi-continuing", "mi-initial"), ("crisis", "trauma"))


def modules(active_only: bool = False) -> list[TrainingModule]:
    query = sa.select(TrainingModule).order_by(TrainingModule.position, TrainingModule.id)
    if active_only:
        query = query.where(TrainingModule.active.is_(True))
    return list(db.session.scalars(query.options(sa.orm.selectinload(TrainingModule.prerequisites))))


def find_module(code: str) -> TrainingModule:
    module = db.session.scalar(sa.select(TrainingModule).where(TrainingModule.code == (code or "")[:40]))
    if module is None:
        raise NotFound()
    return module


def catalogue_page(actor) -> dict:
    require(actor, "training.plan")
    manage = may(actor, "training.manage")
    return {"modules": modules(active_only=not manage), "can_manage": manage}


def module_page(actor, code: str) -> dict:
    """A module, its prerequisites and its upcoming sessions (cancelled ones left out)."""
    require(actor, "training.plan")
    module = find_module(code)
    manage = may(actor, "training.manage")
    if not module.active and not manage:
        raise NotFound()
    upcoming = list(
        db.session.scalars(
            sa.select(TrainingSession)
            .where(
                TrainingSession.module_id == module.id,
                TrainingSession.status != SessionStatus.CANCELLED,
                TrainingSession.ends_at > utcnow(),
            )
            .options(sa.orm.selectinload(TrainingSession.parts))
            .order_by(TrainingSession.starts_at)
        )
    )
    return {"module": module, "sessions": upcoming, "can_manage": manage}


def _requires(starts: set[int], target: int) -> bool:
    """Whether one of `starts` requires `target`, directly or through other modules."""
    edges: dict[int, set[int]] = {}
    for module_id, required_id in db.session.execute(
        sa.select(Prerequisite.module_id, Prerequisite.required_id)
    ):
        edges.setdefault(module_id, set()).add(required_id)
    seen, todo = set(), list(starts)
    while todo:
        current = todo.pop()
        if current == target:
            return True
        if current not in seen:
            seen.add(current)
            todo.extend(edges.get(current, ()))
    return False


def update_module(actor, code: str, values: dict) -> TrainingModule:
    """The coordinator edits a module: titles, descriptions, audiences, duration, prerequisites, active."""
    require(actor, "training.manage")
    module = find_module(code)
    for name in ("title_fr", "title_en", "audience_fr", "audience_en"):
        check_single_line(values.get(name), name)
    for name in ("description_fr", "description_en"):
        check_multi_line(values.get(name), name)
    for name in ("title_fr", "title_en"):
        if not (values.get(name) or "").strip() or len(values[name]) > 200:
            raise ServiceError(_l("Give a title of at most 200 characters."), name)
    duration = values.get("duration_minutes")
    if not isinstance(duration, int) or not 30 <= duration <= 6000:
        raise ServiceError(_l("Give a duration between 30 and 6,000 minutes."), "duration_minutes")
    wanted = set(values.get("prerequisite_ids") or ())
    known = {m.id for m in modules()}
    if module.id in wanted or not wanted <= known:
        raise ServiceError(_l("Choose prerequisites among the other modules."), "prerequisite_ids")
    if _requires(wanted, module.id):
        raise ServiceError(
            _l("A module cannot require a module that requires it: nobody could take either."),
            "prerequisite_ids",
        )
    module = lock_row(TrainingModule, module.id)
    for name in ("title_fr", "title_en", "description_fr", "description_en", "audience_fr", "audience_en"):
        setattr(module, name, (values.get(name) or "").strip())
    module.duration_minutes = duration
    module.active = bool(values.get("active"))
    current = set(
        db.session.scalars(sa.select(Prerequisite.required_id).where(Prerequisite.module_id == module.id))
    )
    for required_id in wanted - current:
        db.session.add(Prerequisite(module_id=module.id, required_id=required_id))
    if current - wanted:
        db.session.execute(
            sa.delete(Prerequisite).where(
                Prerequisite.module_id == module.id, Prerequisite.required_id.in_(current - wanted)
            )
        )
    audit.record("training.module.update", actor=actor, obj=module)
    db.session.commit()
    return module


def module_form_page(actor, code: str) -> dict:
    """The coordinator's module form: the module and the other modules (possible prerequisites)."""
    require(actor, "training.manage")
    module = find_module(code)
    choices = [
        (m.id, typeset(m.title_fr if _french() else m.title_en)) for m in modules() if m.id != module.id
    ]
    return {"module": module, "choices": choices}


def _french() -> bool:
    from coord.core.clock import rendering_language

    return rendering_language() == "fr"
