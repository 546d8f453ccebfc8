"""A case conference's page: only for the people involved (every read is audited)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from coord.conferences import services
from coord.core.actor import current_actor

bp = Blueprint("conferences", __name__, url_prefix="/conferences")


@bp.get("/<int:conference_id>")
@login_required
def conference(conference_id: int):
    page = services.conference_page(current_actor(), conference_id)
    return render_template("conferences/conference.html", conference=page.conference, invitees=page.invitees)
