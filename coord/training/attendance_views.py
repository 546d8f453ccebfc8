"""Registrants, attendance, attestations and requests (STUB: the attendance part replaces these)."""

from __future__ import annotations

from flask import abort

from coord.training.blueprint import bp, public_bp


@bp.route("/sessions/<session_ref>/registrants", methods=["GET", "POST"])
def registrants(session_ref: str):
    abort(404)


@public_bp.route("/attestations/verify", methods=["GET"])
def verify_attestation():
    abort(404)


@public_bp.route("/request", methods=["GET", "POST"])
def request_training():
    abort(404)
