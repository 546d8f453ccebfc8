"""The program's training modules (cadre d'intervention commun, « La formation des partenaires »), as the
migration that created the catalogue seeded them. The coordinator edits them afterwards; this list is what
tests and the demo rely on for codes."""

from __future__ import annotations

# code, minutes, French title, English title; the descriptions and audiences live in the migration.
MODULE_CODES = (
    "exploitation",
    "networks",
    "entry",
    "harm-reduction",
    "trauma",
    "crisis",
    "change-wheel",
    "mi-initial",
    "mi-continuing",
    "indigenous",
    "vicarious-trauma",
)
PREREQUISITES = (("mi-continuing", "mi-initial"), ("crisis", "trauma"))
