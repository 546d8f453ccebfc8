"""Minutes: the state machine (draft → circulated → approved, locked, corrections as revisions), the stale
save, history and comparison, permissions (403 for members on drafts and for outsiders), comments."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from coord.audit import AuditEntry
from coord.directory.models import Person
from coord.extensions import db
from coord.meetings import minutes as service
from coord.meetings.minutes_revisions import snapshot_lines
from coord.meetings.models import Minutes
from coord.notify.models import OutboxMessage
from tests.calendar.factories import person, sent_messages
from tests.meetings.minutes_support import (
    FilledForm,
    client_of,
    load_form,
    minutes_row,
    minutes_world,
    post_button,
    revisions,
    save,
    send,
)
from tests.support import logged_in, text


def audit_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def circulated_messages(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.template == "meetings/minutes_circulated")
        ).all()
        for row in rows:
            db.session.expunge(row)
        return list(rows)


def url(world, path: str = "") -> str:
    return f"/meetings/{world.meeting}/minutes{path}"


# Writing and the state machine ----------------------------------------------------------------------


def test_reading_creates_nothing_and_the_first_save_makes_revision_one(app):
    world = minutes_world(app, items=2)
    coordinator = client_of(app, world.coordinator)
    page = coordinator.get(url(world))
    assert page.status_code == 200 and 'id="no-minutes"' in page.get_data(as_text=True)
    form = load_form(coordinator, world.meeting)
    assert minutes_row(app, world.meeting) is None
    assert form["base_revision"] == "0"
    assert f"item_{world.items[0]}" in form.names() and f"item_{world.items[1]}" in form.names()
    assert form.names().count("decisions-0-text") == 1 and "decisions-2-text" in form.names()
    assert "actions-2-description" in form.names() and "decisions-3-text" not in form.names()

    form["general"] = "Présences : quorum atteint."
    form[f"item_{world.items[1]}"] = "Discussion sur le **protocole**."
    form["decisions-0-text"] = "Adopter le protocole révisé."
    form["decisions-0-item"] = str(world.items[1])
    form["actions-0-description"] = "Envoyer le protocole aux partenaires"
    form["actions-0-owner"] = str(world.member)
    form["actions-0-due_date"] = "2030-01-15"
    response = send(coordinator, world.meeting, form)
    assert response.status_code == 302, text(response)[:2000]

    minutes = minutes_row(app, world.meeting)
    assert minutes.state == "draft" and minutes.revision == 1
    assert minutes.content == {
        "general": "Présences : quorum atteint.",
        "items": {str(world.items[1]): "Discussion sur le **protocole**."},
    }
    assert revisions(app, world.meeting) == [(1, world.coordinator, "draft", "")]
    assert "minutes.save" in audit_actions(app)
    page = text(coordinator.get(url(world)))
    assert "Adopter le protocole révisé." in page and "Envoyer le protocole aux partenaires" in page
    assert "<strong>protocole</strong>" in page  # notes are Markdown


def test_draft_circulated_approved_then_locked(app):
    world = minutes_world(app)
    coordinator = client_of(app, world.coordinator)
    assert save(coordinator, world.meeting, "Notes confidentielles du comité").status_code == 302

    response = post_button(coordinator, url(world, "/circulate"))
    assert response.status_code == 302
    minutes = minutes_row(app, world.meeting)
    assert minutes.state == "circulated" and minutes.circulated_at is not None
    messages = circulated_messages(app)
    # The invitees: the coordinator, two members and the secretary; no notes in the message.
    assert len(messages) == 4
    assert all("Notes confidentielles" not in str(m.context) for m in messages)
    assert set(messages[0].context) >= {"title", "start", "url"}
    assert {m.status for m in messages} == {"sent"}  # rendered and delivered in-process (no Redis)
    mails = [m for m in sent_messages(app) if "Rencontre ponctuelle" in m["Subject"]]
    assert len(mails) == 4
    body = mails[0].get_body(("plain",)).get_content()
    assert f"/meetings/{world.meeting}/minutes" in body and "Notes confidentielles" not in body
    assert post_button(coordinator, url(world, "/circulate")).status_code == 302  # already: a message only
    assert len(circulated_messages(app)) == 4

    assert post_button(coordinator, url(world, "/approve")).status_code == 302
    minutes = minutes_row(app, world.meeting)
    assert minutes.state == "approved" and minutes.approved_by_id == world.coordinator
    assert minutes.approved_at is not None

    # Locked: the edit page sends back, and a save is refused with a message, nothing written.
    assert coordinator.get(url(world, "/edit")).status_code == 302
    form = load_form(coordinator, world.meeting, "correct")
    form["general"] = "Changement après approbation"
    refused = send(coordinator, world.meeting, form, "edit")
    assert refused.status_code == 400
    assert 'id="form-errors"' in refused.get_data(as_text=True)
    assert "Changement après approbation" in text(refused)  # the text is shown again, not lost
    assert minutes_row(app, world.meeting).content["general"] == "Notes confidentielles du comité"
    assert revisions(app, world.meeting) == [(1, world.coordinator, "draft", "")]


def test_only_the_coordinator_approves(app):
    world = minutes_world(app)
    coordinator = client_of(app, world.coordinator)
    secretary = client_of(app, world.secretary)
    assert save(secretary, world.meeting, "Rédigé par la secrétaire").status_code == 302

    # From draft: refused with a message (circulate first), the state unchanged.
    assert post_button(coordinator, url(world, "/approve")).status_code == 302
    assert minutes_row(app, world.meeting).state == "draft"

    assert post_button(secretary, url(world, "/circulate")).status_code == 302
    assert minutes_row(app, world.meeting).state == "circulated"
    assert post_button(secretary, url(world, "/approve")).status_code == 403
    assert post_button(client_of(app, world.member), url(world, "/approve")).status_code == 403
    assert minutes_row(app, world.meeting).state == "circulated"
    assert "approve" not in client_of(app, world.secretary).get(url(world)).get_data(as_text=True)
    assert post_button(coordinator, url(world, "/approve")).status_code == 302
    assert minutes_row(app, world.meeting).state == "approved"


def test_a_correction_needs_a_reason_and_makes_a_new_revision(app):
    world = minutes_world(app)
    coordinator = client_of(app, world.coordinator)
    assert save(coordinator, world.meeting, "Version approuvée").status_code == 302
    post_button(coordinator, url(world, "/circulate"))
    post_button(coordinator, url(world, "/approve"))

    form = load_form(coordinator, world.meeting, "correct")
    assert form["base_revision"] == "1" and "reason" in form.names()
    form["general"] = "Version corrigée"
    form["reason"] = "   "
    refused = send(coordinator, world.meeting, form, "correct")
    assert refused.status_code == 400
    assert minutes_row(app, world.meeting).revision == 1

    form["reason"] = "x" * 2001
    assert send(coordinator, world.meeting, form, "correct").status_code == 400

    form["reason"] = "Coquille dans le nom d'un partenaire"
    assert send(coordinator, world.meeting, form, "correct").status_code == 302
    minutes = minutes_row(app, world.meeting)
    assert minutes.state == "approved" and minutes.revision == 2
    assert minutes.content["general"] == "Version corrigée"
    assert revisions(app, world.meeting)[-1] == (2, world.coordinator, "approved", form["reason"])
    assert "minutes.correct" in audit_actions(app)

    # The secretary edits drafts but does not correct approved minutes.
    secretary = client_of(app, world.secretary)
    assert secretary.get(url(world, "/correct")).status_code == 403
    form["base_revision"] = "2"
    assert send(secretary, world.meeting, form, "correct").status_code == 403
    assert minutes_row(app, world.meeting).revision == 2


def test_correct_is_only_for_approved_minutes(app):
    world = minutes_world(app)
    coordinator = client_of(app, world.coordinator)
    assert save(coordinator, world.meeting, "Brouillon").status_code == 302
    assert coordinator.get(url(world, "/correct")).status_code == 302  # back to the minutes, with a message


# Two editors at once --------------------------------------------------------------------------------


def test_a_save_on_a_stale_revision_is_refused_and_nothing_is_lost(app):
    world = minutes_world(app)
    coordinator = client_of(app, world.coordinator)
    secretary = client_of(app, world.secretary)
    assert save(coordinator, world.meeting, "Première version").status_code == 302

    first = load_form(coordinator, world.meeting)
    second = load_form(secretary, world.meeting)
    assert first["base_revision"] == second["base_revision"] == "1"
    first["general"] = "Texte de la coordonnatrice"
    second["general"] = "Texte de la secrétaire, à ne pas perdre"
    second["decisions-0-text"] = "Décision notée par la secrétaire"
    assert send(coordinator, world.meeting, first).status_code == 302
    assert minutes_row(app, world.meeting).revision == 2

    refused = send(secretary, world.meeting, second)
    assert refused.status_code == 409
    body = refused.get_data(as_text=True)
    assert 'id="stale-notice"' in body
    shown = FilledForm(body)
    assert shown["general"] == "Texte de la secrétaire, à ne pas perdre"
    assert shown["decisions-0-text"] == "Décision notée par la secrétaire"
    assert f'href="/meetings/{world.meeting}/minutes/compare?a=1&amp;b=2"' in body
    minutes = minutes_row(app, world.meeting)
    assert minutes.revision == 2 and minutes.content["general"] == "Texte de la coordonnatrice"
    assert [r[0] for r in revisions(app, world.meeting)] == [1, 2]

    # Sending the shown form again, knowingly, saves it as revision 3; revision 2 stays in the history.
    assert shown["base_revision"] == "2"
    assert send(secretary, world.meeting, shown).status_code == 302
    assert minutes_row(app, world.meeting).content["general"] == "Texte de la secrétaire, à ne pas perdre"
    assert [r[:2] for r in revisions(app, world.meeting)] == [
        (1, world.coordinator),
        (2, world.coordinator),
        (3, world.secretary),
    ]


def test_two_saves_racing_for_the_same_revision_keep_one_and_refuse_the_other(app):
    """The database's unique revision number refuses the second of two saves that passed the check."""
    world = minutes_world(app)
    with app.app_context():
        service.save_minutes(person(world.coordinator), world.meeting, 0, "Un", {}, [], [])
    with app.app_context():
        minutes = db.session.scalar(sa.select(Minutes).where(Minutes.meeting_id == world.meeting))
        # Another process wrote revision 2 after this one read revision 1.
        db.session.execute(
            sa.text(
                "INSERT INTO minutes_revision (minutes_id, number, state, author_id, reason, snapshot,"
                " created_at) VALUES (:m, 2, 'draft', NULL, '', '{}', CURRENT_TIMESTAMP)"
            ),
            {"m": minutes.id},
        )
        db.session.commit()
        with pytest.raises(service.StaleMinutes) as refused:
            service.save_minutes(person(world.coordinator), world.meeting, 1, "Deux", {}, [], [])
        assert refused.value.base == 1
    assert minutes_row(app, world.meeting).content["general"] == "Un"


# History and comparison --------------------------------------------------------------------------------


def test_history_lists_every_revision_with_author_and_time(app):
    world = minutes_world(app)
    coordinator = client_of(app, world.coordinator)
    secretary = client_of(app, world.secretary)
    assert save(coordinator, world.meeting, "Un").status_code == 302
    assert save(secretary, world.meeting, "Deux").status_code == 302
    assert save(coordinator, world.meeting, "Trois").status_code == 302

    page = coordinator.get(url(world, "/history"))
    assert page.status_code == 200
    body = text(page)
    rows = re.findall(
        r'<tr data-revision="(\d+)">\s*<td>\d+</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>', body
    )
    assert [int(number) for number, _, _ in rows] == [3, 2, 1]
    with app.app_context():
        names = {
            pid: db.session.get(Person, pid).display_name for pid in (world.coordinator, world.secretary)
        }
    assert [author for _, author, _ in rows] == [
        names[world.coordinator],
        names[world.secretary],
        names[world.coordinator],
    ]
    assert all(re.search(r"\d{4}", when) for _, _, when in rows)


def test_compare_shows_the_changed_lines(app):
    world = minutes_world(app)
    coordinator = client_of(app, world.coordinator)
    first_item = f"item_{world.items[0]}"
    assert (
        save(coordinator, world.meeting, "Ligne gardée\nAncienne ligne", **{first_item: "Note A"}).status_code
        == 302
    )
    assert (
        save(coordinator, world.meeting, "Ligne gardée\nNouvelle ligne", **{first_item: "Note A"}).status_code
        == 302
    )

    page = coordinator.get(url(world, "/compare?a=1&b=2"))
    assert page.status_code == 200
    body = text(page)
    assert '<del class="diff-del">-  Ancienne ligne</del>' in body
    assert '<ins class="diff-add">+  Nouvelle ligne</ins>' in body
    assert "Note A" not in re.sub(r'<span class="diff-same">[^<]*</span>', "", body.split('id="diff"')[1])
    assert coordinator.get(url(world, "/compare")).status_code == 200  # the latest against the one before
    same = coordinator.get(url(world, "/compare?a=2&b=2"))
    assert same.status_code == 200 and 'id="no-difference"' in same.get_data(as_text=True)
    for query in ("a=1&b=3", "a=0&b=2", "a=2147483647&b=1"):
        assert coordinator.get(url(world, f"/compare?{query}")).status_code == 404, query
    for query in ("a=abc&b=2", "a=-1&b=2", "a=1&b=99999999999999999999", "a=1.5&b=2"):
        assert coordinator.get(url(world, f"/compare?{query}")).status_code == 400, query


def test_snapshots_of_other_shapes_still_compare(app):
    """Demo or older snapshots (decisions as strings, no agenda titles) give lines, never an error."""
    with app.test_request_context():
        lines = snapshot_lines(
            {
                "content": {"general": "Hybride", "items": {"7": "Tour de table"}},
                "decisions": ["Adopter le bilan"],
                "actions": [
                    {"description": "Réserver", "owner_id": 3, "due_date": "2026-05-01", "status": "open"}
                ],
            }
        )
        assert "  Hybride" in lines and "  Tour de table" in lines and "- Adopter le bilan" in lines
        assert "- Réserver" in lines
        assert snapshot_lines({}) == snapshot_lines(None)
        garbage = {
            "content": [],
            "agenda": ["x", {"title": "no id"}],
            "decisions": [None, 3],
            "actions": [[1]],
        }
        assert snapshot_lines(garbage)


# Who may read and write ------------------------------------------------------------------------------


def test_draft_minutes_are_for_editors_only_and_circulated_ones_for_members(app):
    world = minutes_world(app)
    coordinator = client_of(app, world.coordinator)
    member = client_of(app, world.member)
    assert member.get(url(world)).status_code == 200  # nothing written yet: "no minutes" for a member
    assert save(coordinator, world.meeting, "Brouillon un").status_code == 302
    assert save(coordinator, world.meeting, "Brouillon deux").status_code == 302

    for path in ("", "/history", "/compare?a=1&b=2", "/edit"):
        assert member.get(url(world, path)).status_code == 403, path
    assert client_of(app, world.secretary).get(url(world)).status_code == 200

    post_button(coordinator, url(world, "/circulate"))
    assert save(coordinator, world.meeting, "Circulé, corrigé").status_code == 302
    page = member.get(url(world))
    assert page.status_code == 200 and "Circulé, corrigé" in text(page)
    assert "/minutes/edit" not in page.get_data(as_text=True)
    # The member's history starts at the circulated revision (2); earlier drafts stay hidden.
    history = text(member.get(url(world, "/history")))
    assert re.findall(r'<tr data-revision="(\d+)">', history) == ["3", "2"]
    assert member.get(url(world, "/compare?a=2&b=3")).status_code == 200
    assert member.get(url(world, "/compare?a=1&b=2")).status_code == 404
    assert member.get(url(world, "/edit")).status_code == 403
    form = load_form(coordinator, world.meeting)
    form["general"] = "Par un membre"
    assert send(member, world.meeting, form).status_code == 403
    assert minutes_row(app, world.meeting).content["general"] == "Circulé, corrigé"


def test_an_outsider_gets_403_everywhere(app):
    world = minutes_world(app)
    coordinator = client_of(app, world.coordinator)
    assert save(coordinator, world.meeting, "Notes").status_code == 302
    post_button(coordinator, url(world, "/circulate"))
    outsider = client_of(app, world.outsider)
    for path in ("", "/edit", "/correct", "/history", "/compare?a=1&b=1"):
        assert outsider.get(url(world, path)).status_code == 403, path
    for path in ("/edit", "/correct", "/circulate", "/approve", "/comments"):
        assert post_button(outsider, url(world, path), {"text": "x", "general": "x"}).status_code == 403, path
    with app.app_context():
        denied = db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == "permission.denied")
        )
    assert denied >= 10
    assert minutes_row(app, world.meeting).content["general"] == "Notes"


def test_unknown_meeting_is_404(app):
    world = minutes_world(app)
    coordinator = client_of(app, world.coordinator)
    for path in ("", "/edit", "/history", "/compare"):
        assert coordinator.get(f"/meetings/{world.meeting + 100}/minutes{path}").status_code == 404, path
    assert coordinator.get(url(world, "/history")).status_code == 404  # no minutes yet


# Comments ---------------------------------------------------------------------------------------------


def test_comments_only_while_circulated(app):
    world = minutes_world(app)
    coordinator = client_of(app, world.coordinator)
    member = client_of(app, world.member)
    assert save(coordinator, world.meeting, "Notes").status_code == 302
    assert post_button(member, url(world, "/comments"), {"text": "Trop tôt"}).status_code == 403
    assert post_button(coordinator, url(world, "/comments"), {"text": "Brouillon"}).status_code == 403

    post_button(coordinator, url(world, "/circulate"))
    assert post_button(member, url(world, "/comments"), {"text": "   "}).status_code == 400
    assert post_button(member, url(world, "/comments"), {"text": "x" * 5001}).status_code == 400
    response = post_button(member, url(world, "/comments"), {"text": "Il manque <b>un</b> point."})
    assert response.status_code == 302
    page = member.get(url(world)).get_data(as_text=True)
    assert "Il manque &lt;b&gt;un&lt;/b&gt; point." in page

    post_button(coordinator, url(world, "/approve"))
    assert post_button(member, url(world, "/comments"), {"text": "Trop tard"}).status_code == 403
    page = text(member.get(url(world)))
    assert "Il manque <b>un</b> point." in page and "Trop tard" not in page


# Bad input ---------------------------------------------------------------------------------------------


def test_html_in_notes_is_rendered_sanitized(app):
    world = minutes_world(app)
    coordinator = client_of(app, world.coordinator)
    attack = '<script>alert(1)</script> <img src=x onerror="alert(2)"> [lien](javascript:alert(3))'
    assert (
        save(
            coordinator,
            world.meeting,
            attack,
            **{
                f"item_{world.items[0]}": attack,
                "decisions__0__text": attack,
                "actions__0__description": attack,
            },
        ).status_code
        == 302
    )
    body = coordinator.get(url(world)).get_data(as_text=True)
    assert "<script>alert" not in body and not re.search(r"<[^>]*onerror", body)
    assert "javascript:" not in body.replace("javascript:alert(3))", "")  # only ever as text
    assert not re.search(r'href="javascript:', body)
    edit = coordinator.get(url(world, "/edit")).get_data(as_text=True)
    assert "<script>alert" not in edit


def test_garbage_revision_numbers_are_refused_without_writing(app):
    world = minutes_world(app)
    coordinator = client_of(app, world.coordinator)
    assert save(coordinator, world.meeting, "Version un").status_code == 302
    form = load_form(coordinator, world.meeting)
    form["general"] = "Ne doit pas être enregistré"
    for garbage in ("", "abc", "-1", "1.0", "99999999999999999999", "5", "2", "é"):
        form["base_revision"] = garbage
        response = send(coordinator, world.meeting, form)
        assert response.status_code == 400, (garbage, response.status_code)
        assert 'id="form-errors"' in response.get_data(as_text=True), garbage
    form["base_revision"] = "0"
    assert send(coordinator, world.meeting, form).status_code == 409  # older than the current one: stale
    assert minutes_row(app, world.meeting).content["general"] == "Version un"
    assert len(revisions(app, world.meeting)) == 1


def test_ten_thousand_decision_rows_are_refused(app):
    world = minutes_world(app)
    coordinator = client_of(app, world.coordinator)
    form = load_form(coordinator, world.meeting)
    for n in range(10_000):
        form[f"decisions-{n}-text"] = f"Décision {n}"
    response = send(coordinator, world.meeting, form)
    assert response.status_code == 400
    assert 'id="form-errors"' in response.get_data(as_text=True)
    assert response.get_data(as_text=True).count('class="minutes-row"') <= 203 + 3
    assert minutes_row(app, world.meeting) is None

    # 201 filled rows fit the form but not the rule: refused by the service, nothing written.
    form = load_form(coordinator, world.meeting)
    for n in range(201):
        form[f"decisions-{n}-text"] = f"Décision {n}"
    response = send(coordinator, world.meeting, form)
    assert response.status_code == 400 and 'id="form-errors"' in response.get_data(as_text=True)
    assert minutes_row(app, world.meeting) is None
    form["decisions-200-text"] = ""
    assert send(coordinator, world.meeting, form).status_code == 302


def test_malformed_row_keys_and_unknown_ids_are_refused(app):
    world = minutes_world(app)
    coordinator = client_of(app, world.coordinator)
    form = load_form(coordinator, world.meeting)
    form["decisions-²-text"] = "exposant"  # dropped, not a 500
    form["decisions-0-text"] = "Décision"
    form["decisions-0-item"] = "999999"
    response = send(coordinator, world.meeting, form)
    assert response.status_code == 400 and "decisions-0-item-error" in response.get_data(as_text=True)
    form["decisions-0-item"] = "<script>"
    assert send(coordinator, world.meeting, form).status_code == 400
    form["decisions-0-item"] = ""
    form["actions-0-description"] = "Action"
    form["actions-0-id"] = "99999999999999999999"
    assert send(coordinator, world.meeting, form).status_code == 400
    form["actions-0-id"] = "abc"
    assert send(coordinator, world.meeting, form).status_code == 400
    form["actions-0-id"] = ""
    form["actions-0-owner"] = str(world.outsider)  # not an invitee: not a choice
    assert send(coordinator, world.meeting, form).status_code == 400
    form["actions-0-owner"] = "other"
    form["actions-0-owner_name"] = "x" * 121
    assert send(coordinator, world.meeting, form).status_code == 400
    form["actions-0-owner_name"] = "   "  # "someone else" with no name: said beside the field, not saved
    response = send(coordinator, world.meeting, form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "actions-0-owner_name-error" in page
    assert "Inscrivez le nom de la personne qui s’en charge." in page
    form[f"item_{world.items[0]}"] = "x" * 20_001
    form["actions-0-owner_name"] = "Partenaire externe"
    response = send(coordinator, world.meeting, form)
    assert response.status_code == 400
    assert minutes_row(app, world.meeting) is None
    form[f"item_{world.items[0]}"] = "x" * 20_000
    assert send(coordinator, world.meeting, form).status_code == 302


def test_due_dates_out_of_range_or_in_words_are_refused(app):
    world = minutes_world(app)
    coordinator = client_of(app, world.coordinator)
    for garbage in ("9999-12-31", "1999-12-31", "2101-01-01", "yesterday", "31/12/2026", "2026-02-30"):
        response = save(
            coordinator, world.meeting, "", actions__0__description="Action", actions__0__due_date=garbage
        )
        assert response.status_code == 400, garbage
        assert "actions-0-due_date-error" in response.get_data(as_text=True), garbage
    assert minutes_row(app, world.meeting) is None
    assert (
        save(
            coordinator, world.meeting, "", actions__0__description="A", actions__0__due_date="2100-12-31"
        ).status_code
        == 302
    )


def test_demo_minutes_pages_open(app, client):
    """The demo's approved minutes (written by the demo, not by the form) show, compare and correct."""
    from coord.demo import seed_demo
    from coord.modules import MODULES

    with app.app_context():
        seed_demo(MODULES, "demo-sphères-2026")
        meeting_ids = list(
            db.session.scalars(sa.select(Minutes.meeting_id).where(Minutes.state == "approved"))
        )
    logged_in(client, "coordinator@demo.coord.test", "demo-sphères-2026")
    for meeting_id in meeting_ids:
        base = f"/meetings/{meeting_id}/minutes"
        for path in ("", "/history", "/compare?a=1&b=2", "/correct"):
            assert client.get(base + path).status_code == 200, base + path
        assert client.get(base + "/edit").status_code == 302
    assert client.get("/actions/mine").status_code == 200
