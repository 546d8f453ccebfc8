"""Registration pages (STUB: the registration part replaces these; the endpoints and URLs are fixed so
that other pages can link to them)."""

from __future__ import annotations

from flask import abort

from coord.training.blueprint import bp, public_bp


@bp.route("/sessions/<ref>/register", methods=["POST"])
def register_self(ref: str):
    abort(404)


@bp.route("/sessions/<ref>/register-someone", methods=["GET", "POST"])
def register_other(ref: str):
    abort(404)


@bp.route("/registrations/<ref>/cancel", methods=["GET", "POST"])
def cancel_registration(ref: str):
    abort(404)


@bp.get("/mine")
def mine():
    abort(404)


@public_bp.route("/<ref>/register", methods=["GET", "POST"])
def register(ref: str):
    abort(404)


@public_bp.route("/verify/<token>", methods=["GET", "POST"])
def verify(token: str):
    abort(404)


@public_bp.route("/claim/<token>", methods=["GET", "POST"])
def claim(token: str):
    abort(404)


@public_bp.route("/follow/<token>", methods=["GET"])
def follow(token: str):
    abort(404)
