"""The "training" blueprint (endpoints training.*), for signed-in pages, and "training_public" for the pages
anyone reaches (the open sessions, outside registration and its links, attestation checks, requests). Their
routes live in the *_views modules, which the manifest imports so that they register."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("training", __name__, url_prefix="/training")
public_bp = Blueprint("training_public", __name__, url_prefix="/trainings")
