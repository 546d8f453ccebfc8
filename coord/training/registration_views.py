"""Registration pages (STUB: the registration part replaces these; the endpoints and URLs are fixed so
that other pages can link to them)."""

from __future__ import annotations

from flask import abort

from coord.training.blueprint import bp, public_bp


@bp.route("/sessions/<session_ref>/register", methods=["POST"])
def register_self(session_ref: str):
    abort(404)


@bp.route("/sessions/<session_ref>/register-someone", methods=["GET", "POST"])
def register_other(session_ref: str):
    abort(404)


@bp.route("/registrations/<registration_ref>/cancel", methods=["GET", "POST"])
def cancel_registration(registration_ref: str):
    abort(404)


@bp.get("/mine")
def mine():
    abort(404)


@public_bp.route("/<session_ref>/register", methods=["GET", "POST"])
def register(session_ref: str):
    abort(404)


@public_bp.route("/verify/<verify_token>", methods=["GET", "POST"])
def verify(verify_token: str):
    abort(404)


@public_bp.route("/claim/<claim_token>", methods=["GET", "POST"])
def claim(claim_token: str):
    abort(404)


@public_bp.route("/follow/<follow_token>", methods=["GET"])
def follow(follow_token: str):
    abort(404)
