"""Calendar pages (month and week: mine, or any scope a module registered) and feed subscriptions."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, get_locale, gettext
from flask_login import login_required

from coord.calendar import feed_links, pages, services
from coord.calendar.sources import Scope
from coord.core.actor import current_actor
from coord.core.localtime import local_today
from coord.extensions import login_manager

bp = Blueprint("calendar", __name__, url_prefix="/calendar")

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
YEARS = range(2000, 2101)


def _month_arg() -> tuple[int, int]:
    raw = request.args.get("m", "")
    if not raw:
        today = local_today()
        return today.year, today.month
    match = _MONTH.match(raw)
    if not match or int(match.group(1)) not in YEARS or not 1 <= int(match.group(2)) <= 12:
        abort(400)
    return int(match.group(1)), int(match.group(2))


def _day_arg() -> date:
    raw = request.args.get("d", "")
    if not raw:
        return local_today()
    match = _DAY.match(raw)
    try:
        day = date(*(int(part) for part in match.groups())) if match else None
    except ValueError:
        day = None
    if day is None or day.year not in YEARS:
        abort(400)
    return day


WEEK_OF_PATTERNS = {"fr": "EEEE d MMMM y", "en": "EEEE, MMMM d, y"}  # the week's title says its year


def _first_weekday() -> int:
    return get_locale().first_week_day


def _render(scope: Scope, view: str, title: str, endpoint: str, feed_url: str | None = None, **endpoint_args):
    """A scope's month or week page; `feed_url`: a public scope's feed, for visitors who are not signed in."""
    first_weekday = _first_weekday()
    if view == "month":
        year, month = _month_arg()
        weeks = pages.month_weeks(scope, year, month, first_weekday)
        current = date(year, month, 1)
        today = local_today()
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
            today=url_for(endpoint, view="month", **endpoint_args),
            showing_today=(today.year, today.month) == (year, month),
            feed_url=feed_url,
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
        today=url_for(endpoint, view="week", **endpoint_args),
        showing_today=any(d.is_today for d in days),
        week_of=format_date(days[0].date, WEEK_OF_PATTERNS.get(str(get_locale().language), "d MMMM y")),
        feed_url=feed_url,
    )


@bp.get("/")
@login_required
def index():
    return redirect(url_for("calendar.mine", view="month"))


@bp.get("/me/<any(month, week):view>")
@login_required
def mine(view: str):
    page = services.my_calendar(current_actor())
    return _render(page.scope, view, page.title, "calendar.mine")


@bp.get("/<name>/<any(month, week):view>")
@bp.get("/<name>/<int:scope_id>/<any(month, week):view>")
def scope(name: str, view: str, scope_id: int | None = None):
    """The calendar of a scope a module registered; private ones ask to log in first."""
    page = services.scope_page(current_actor(), name, scope_id)
    if page.needs_login:
        return login_manager.unauthorized()
    args = {"name": name} if scope_id is None else {"name": name, "scope_id": scope_id}
    feed_url = url_for("calendar_feeds.public_feed", name=name) if page.public else None
    return _render(page.scope, view, page.title, "calendar.scope", feed_url, **args)


@bp.get("/subscriptions")
@login_required
def subscriptions():
    return render_template(
        "calendar/subscriptions.html",
        offers=services.subscriptions(current_actor()),
        public_feeds=services.public_subscriptions(),
        feed_links=feed_links,
    )


@bp.post("/subscriptions")
@login_required
def create_subscription():
    """Create the secret link of one of the person's feeds (links exist only once asked for)."""
    services.create_subscription(
        current_actor(), request.form.get("scope", ""), request.form.get("scope_id", "")
    )
    return redirect(url_for("calendar.subscriptions"))


@bp.post("/subscriptions/<int:link_id>/reset")
@login_required
def reset_subscription(link_id: int):
    services.reset_subscription(current_actor(), link_id)
    flash(gettext("New link created. The old link no longer works: update your calendar app."), "success")
    return redirect(url_for("calendar.subscriptions"))
