"""The coordinator's list of requests: by status (tabs), searchable by organization, region and milieu.

Requests waiting for an answer come first, oldest first; confirmed sessions by date (those whose time has
passed first: their outcome is to record); declined, held and cancelled ones most recent first. A page loads
its rows, their windows and their presenters in a fixed number of queries, whatever their number.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from coord.core.errors import ServiceError
from coord.core.localtime import utcnow
from coord.core.permissions import require
from coord.directory.models import Person
from coord.extensions import db
from coord.outreach.models import REGIONS, Assignment, Milieu, OutreachRequest, Presenter, RequestState

PER_PAGE = 50
MAX_SEARCH = 200
TABS = (
    RequestState.REQUESTED,
    RequestState.CONFIRMED,
    RequestState.HELD,
    RequestState.DECLINED,
    RequestState.CANCELLED,
)
ORDERS = {
    RequestState.REQUESTED: (OutreachRequest.created_at, OutreachRequest.id),
    RequestState.CONFIRMED: (OutreachRequest.starts_at, OutreachRequest.id),
    RequestState.HELD: (OutreachRequest.starts_at.desc(), OutreachRequest.id.desc()),
    RequestState.DECLINED: (OutreachRequest.updated_at.desc(), OutreachRequest.id.desc()),
    RequestState.CANCELLED: (OutreachRequest.updated_at.desc(), OutreachRequest.id.desc()),
}


@dataclass(frozen=True)
class Filters:
    state: str = RequestState.REQUESTED
    q: str = ""
    region: str = ""
    milieu: str = ""

    @property
    def args(self) -> dict[str, str]:
        """The query-string arguments that keep these filters (empty ones left out)."""
        return {name: value for name, value in vars(self).items() if value}

    @property
    def searching(self) -> bool:
        return bool(self.q or self.region or self.milieu)


@dataclass(frozen=True)
class RequestsPage:
    filters: Filters
    rows: list[OutreachRequest]
    counts: dict[str, int]  # per state, with the search applied
    pagination: object
    now: object  # to tell confirmed sessions whose time has passed


def check_filters(state: str | None, q: str | None, region: str | None, milieu: str | None) -> Filters:
    state = state or RequestState.REQUESTED
    if state not in TABS:
        raise ServiceError(_l("Choose a status from the list."), "state")
    q = " ".join((q or "").split())
    if len(q) > MAX_SEARCH:
        raise ServiceError(_l("The search is too long (200 characters at most)."), "q")
    if region and region not in REGIONS:
        raise ServiceError(_l("Choose a region from the list."), "region")
    if milieu and milieu not in set(Milieu):
        raise ServiceError(_l("Choose a milieu from the list."), "milieu")
    return Filters(state, q, region or "", milieu or "")


def _searched(query, filters: Filters):
    if filters.q:
        escaped = filters.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        query = query.where(
            sa.or_(
                OutreachRequest.organization_name.ilike(pattern, escape="\\"),
                OutreachRequest.contact_name.ilike(pattern, escape="\\"),
                OutreachRequest.contact_email.ilike(pattern, escape="\\"),
            )
        )
    if filters.region:
        query = query.where(OutreachRequest.region == filters.region)
    if filters.milieu:
        query = query.where(OutreachRequest.milieu == filters.milieu)
    return query


def requests_page(actor: Person, filters: Filters, page: int = 1) -> RequestsPage:
    """One tab of the list, PER_PAGE rows a page, with every tab's count."""
    require(actor, "outreach.manage")
    counts = dict.fromkeys(TABS, 0)
    for state, count in db.session.execute(
        _searched(sa.select(OutreachRequest.state, sa.func.count()).group_by(OutreachRequest.state), filters)
    ):
        counts[state] = count
    query = _searched(sa.select(OutreachRequest), filters).where(OutreachRequest.state == filters.state)
    query = query.order_by(*ORDERS[RequestState(filters.state)]).options(
        orm.selectinload(OutreachRequest.windows),
        orm.selectinload(OutreachRequest.assignments)
        .joinedload(Assignment.presenter)
        .joinedload(Presenter.person)
        .options(orm.lazyload(Person.role_rows), orm.lazyload(Person.organization)),
        orm.lazyload(OutreachRequest.organization),
        orm.lazyload(OutreachRequest.requested_by),
    )
    pagination = db.paginate(query, page=max(page, 1), per_page=PER_PAGE, error_out=False, count=True)
    return RequestsPage(filters, list(pagination.items), counts, pagination, utcnow())
