"""Calendar pages (month and week, for me, a committee, training, outreach) and feed subscriptions."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user, login_required

from coord.calendar import access, feed_links, pages
from coord.calendar.models import FeedLink
from coord.calendar.sources import Scope, ScopeKind
from coord.directory.models import Committee
from coord.extensions import db
from coord.permissions import require

bp = Blueprint("calendar", __name__, url_prefix="/calendar")

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
YEARS = range(2000, 2101)


def _month_arg() -> tuple[int, int]:
    raw = request.args.get("m", "")
    if not raw:
        today = pages._today()
        return today.year, today.month
    match = _MONTH.match(raw)
    if not match or int(match.group(1)) not in YEARS or not 1 <= int(match.group(2)) <= 12:
        abort(400)
    return int(match.group(1)), int(match.group(2))


def _day_arg() -> date:
    raw = request.args.get("d", "")
    if not raw:
        return pages._today()
    match = _DAY.match(raw)
    try:
        day = date(*(int(part) for part in match.groups())) if match else None
    except ValueError:
        day = None
    if day is None or day.year not in YEARS:
        abort(400)
    return day


def _first_weekday() -> int:
    return get_locale().first_week_day


def _render(scope: Scope, view: str, title: str, endpoint: str, **endpoint_args):
    first_weekday = _first_weekday()
    if view == "month":
        year, month = _month_arg()
        weeks = pages.month_weeks(scope, year, month, first_weekday)
        current = date(year, month, 1)
        today = pages._today()
        week_of = today if (today.year, today.month) == (year, month) else current
        previous = (current - timedelta(days=1)).replace(day=1)
        following = (current + timedelta(days=32)).replace(day=1)
        return render_template(
            "calendar/month.html",
            title=title,
            weeks=weeks,
            month=current,
            previous=url_for(endpoint, view="month", m=f"{previous:%Y-%m}", **endpoint_args),
            following=url_for(endpoint, view="month", m=f"{following:%Y-%m}", **endpoint_args),
            other_view=url_for(endpoint, view="week", d=f"{week_of:%Y-%m-%d}", **endpoint_args),
        )
    day = _day_arg()
    days = pages.week_days(scope, day, first_weekday)
    return render_template(
        "calendar/week.html",
        title=title,
        days=days,
        previous=url_for(
            endpoint, view="week", d=f"{days[0].date - timedelta(days=7):%Y-%m-%d}", **endpoint_args
        ),
        following=url_for(
            endpoint, view="week", d=f"{days[0].date + timedelta(days=7):%Y-%m-%d}", **endpoint_args
        ),
        other_view=url_for(endpoint, view="month", m=f"{day:%Y-%m}", **endpoint_args),
    )


@bp.get("/")
@login_required
def index():
    return redirect(url_for("calendar.mine", view="month"))


@bp.get("/me/<any(month, week):view>")
@login_required
def mine(view: str):
    return _render(Scope(ScopeKind.PERSON, current_user.id), view, gettext("My calendar"), "calendar.mine")


@bp.get("/committee/<int:committee_id>/<any(month, week):view>")
@login_required
def committee(committee_id: int, view: str):
    found = db.session.get(Committee, committee_id) or abort(404)
    require(current_user, "calendar.committee", found)
    title = found.name_for(str(get_locale().language))
    return _render(
        Scope(ScopeKind.COMMITTEE, found.id), view, title, "calendar.committee", committee_id=found.id
    )


@bp.get("/training/<any(month, week):view>")
def training(view: str):
    return _render(Scope(ScopeKind.TRAINING), view, gettext("Training"), "calendar.training")


@bp.get("/outreach/<any(month, week):view>")
@login_required
def outreach(view: str):
    require(current_user, "calendar.outreach")
    return _render(Scope(ScopeKind.OUTREACH), view, gettext("Awareness sessions"), "calendar.outreach")


@bp.get("/subscriptions")
@login_required
def subscriptions():
    feeds = [
        (kind, committee, feed_links.find_link(current_user, kind, committee.id if committee else None))
        for kind, committee in access.available_feeds(current_user)
    ]
    return render_template(
        "calendar/subscriptions.html",
        feeds=[
            (kind, committee, link, access.feed_label(kind, committee)) for kind, committee, link in feeds
        ],
        feed_links=feed_links,
    )


@bp.post("/subscriptions")
@login_required
def create_subscription():
    """Create the secret link of one of the person's feeds (links exist only once asked for)."""
    wanted = (request.form.get("kind", ""), request.form.get("committee_id", ""))
    for kind, committee in access.available_feeds(current_user):
        if (str(kind), str(committee.id) if committee else "") == wanted:
            feed_links.create_link(current_user, kind, committee.id if committee else None)
            return redirect(url_for("calendar.subscriptions"))
    abort(404)


@bp.post("/subscriptions/<int:link_id>/reset")
@login_required
def reset_subscription(link_id: int):
    link = db.session.get(FeedLink, link_id)
    if link is None or link.person_id != current_user.id:
        abort(404)
    feed_links.reset_link(current_user, link)
    flash(gettext("New link created. The old link no longer works: update your calendar app."), "success")
    return redirect(url_for("calendar.subscriptions"))
