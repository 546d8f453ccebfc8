"""Home page and language switch."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from coord.directory import services as directory
from coord.directory.auth_views import safe_next
from coord.home.services import upcoming_items
from coord.timeutil import utcnow

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    items = upcoming_items(current_user._get_current_object(), utcnow())
    return render_template("home/index.html", items=items)


@bp.post("/language")
def switch_language():
    """Switch between French and English; remembered for the person, or for this browser."""
    language = request.form.get("lang", "")
    if language not in current_app.config["LANGUAGES"]:
        abort(400)
    session["lang"] = language
    if current_user.is_authenticated:
        directory.set_language(current_user._get_current_object(), language)
    return redirect(safe_next(request.form.get("next")) or url_for("home.index"))
