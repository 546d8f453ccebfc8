"""Catalogue, plan and session pages (STUB: the sessions part replaces these; endpoints are fixed)."""

from __future__ import annotations

from flask import abort

from coord.training.blueprint import bp, public_bp


@bp.get("/")
def plan():
    abort(404)


@bp.get("/sessions/<session_ref>")
def session(session_ref: str):
    abort(404)


@bp.get("/modules")
def modules():
    abort(404)


@public_bp.get("/")
def sessions():
    abort(404)


@public_bp.get("/<session_ref>")
def session(session_ref: str):  # noqa: F811  (the public blueprint's endpoint of the same name)
    abort(404)
