"""A case conference's page: only for the people involved (every read is audited)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from coord.conferences import services
from coord.conferences.calendar import invitees

bp = Blueprint("conferences", __name__, url_prefix="/conferences")


@bp.get("/<int:conference_id>")
@login_required
def conference(conference_id: int):
    found = services.get_conference(current_user, conference_id) or abort(404)
    return render_template("conferences/conference.html", conference=found, invitees=invitees(found))
