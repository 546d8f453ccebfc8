"""The registers: disclosures, confidentiality incidents, purges (helper D fills it)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("referrals_registers", __name__, url_prefix="/registers")
