"""Participants and their consents (helper A fills it)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("referrals_participants", __name__, url_prefix="/participants")
