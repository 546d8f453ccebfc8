"""The audit log, in French, speaks French: actions as words, actors and objects by name."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from coord import audit
from coord.audit_labels import ACTION_LABELS
from coord.directory.models import Organization
from coord.extensions import db
from tests.directory.factories import email_of, make_organization, make_person
from tests.support import logged_in, text

SOURCE = Path(__file__).resolve().parents[2] / "coord"
RECORDERS = {"record", "record_now", "record_each"}
CODE = re.compile(r"[a-z_]+(\.[a-z_]+)+")


def _strings(node) -> set[str]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def recorded_actions() -> set[str]:
    """Every action code the source passes to audit.record / record_now / record_each, directly or through a
    variable of the same function; f-strings ("conference.{what}.read") give a pattern."""
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
            for call in [n for n in ast.walk(function) if isinstance(n, ast.Call)]:
                name = getattr(call.func, "attr", getattr(call.func, "id", ""))
                if name not in RECORDERS or not call.args:
                    continue
                first = call.args[0]
                if isinstance(first, ast.Constant):
                    found.add(first.value)
                elif isinstance(first, ast.JoinedStr):
                    found.add("".join(v.value if isinstance(v, ast.Constant) else "*" for v in first.values))
                elif isinstance(first, ast.Name):  # action = "a" if ... else "b"; or a parameter
                    for assign in ast.walk(function):
                        if isinstance(assign, ast.Assign | ast.AnnAssign):
                            targets = assign.targets if isinstance(assign, ast.Assign) else [assign.target]
                            if any(getattr(t, "id", None) == first.id for t in ast.walk(ast.Tuple(targets))):
                                found |= {s for s in _strings(assign.value) if CODE.fullmatch(s)}
    return found


def test_every_recorded_action_has_a_label():
    import coord.modules  # noqa: F401  every module registers its own labels (coord.audit_labels.register)

    actions = recorded_actions()
    assert {"auth.login", "minutes.correct", "organization.update", "meeting.publish"} <= actions
    missing = set()
    for action in actions:
        pattern = re.compile(re.escape(action).replace(r"\*", "[a-z_]+") + "$")
        if not any(pattern.match(known) for known in ACTION_LABELS):
            missing.add(action)
    assert not missing, f"audit actions without a label in coord/audit_labels.py: {sorted(missing)}"


def test_audit_page_in_french_names_actions_actors_and_objects(app, client):
    coordinator = make_person(app, roles=("coordinator",), display_name="Nadia Coordonnatrice")
    logged_in(client, email_of(app, coordinator))
    organization_id = make_organization(app, name="Maison Tangente")
    with app.app_context():
        audit.record(
            "organization.deactivate", actor=audit.SYSTEM, obj=db.session.get(Organization, organization_id)
        )
        db.session.commit()
    page = text(client.get("/audit/"))
    table = page.split("<tbody>")[1].split("</tbody>")[0]
    assert "auth.login" not in table and "organization.deactivate" not in table
    assert "Ouverture de session" in page and "Désactivation d'un organisme" in page and "le système" in page
    assert "Nadia Coordonnatrice" in page
    assert "organisme Maison Tangente" in page
    assert "#" not in re.sub(r"<[^>]+>", "", page.split("<tbody>")[1].split("</tbody>")[0])
