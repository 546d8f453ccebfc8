"""Home page and language switch."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from coord.core.actor import current_actor
from coord.core.gates import open_before_second_factor
from coord.core.localtime import utcnow
from coord.core.redirects import safe_next
from coord.directory import people
from coord.home.services import upcoming_items

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    actor = current_actor()
    items = upcoming_items(actor, utcnow())
    cards = [card for card in (make(actor) for make in current_app.extensions["coord.home_cards"]) if card]
    return render_template("home/index.html", items=items, cards=cards)


@bp.post("/language")
@open_before_second_factor
def switch_language():
    """Switch between French and English; remembered for the person, or for this browser."""
    language = request.form.get("lang", "")
    if language not in current_app.config["LANGUAGES"]:
        abort(400)
    session["lang"] = language
    if current_user.is_authenticated:
        people.set_language(current_actor(), language)
    return redirect(safe_next(request.form.get("next")) or url_for("home.index"))
