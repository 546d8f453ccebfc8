"""Pages never show a link the reader may not follow (it would lead to "Accès refusé")."""

from __future__ import annotations

from coord.extensions import db
from coord.meetings.models import MeetingGuest
from tests.calendar.factories import committee_with_people, weekly_series
from tests.directory.factories import email_of, make_person
from tests.support import logged_in


def test_a_coordinator_sees_no_link_to_the_administrators_card(app, client):
    admin = make_person(app, roles=("admin",), display_name="Admin Principal")
    someone = make_person(app, display_name="Karim Intervenant")
    coordinator = make_person(app, roles=("coordinator",))
    logged_in(client, email_of(app, coordinator))
    page = client.get("/people").get_data(as_text=True)
    assert "Admin Principal" in page and f'href="/people/{admin}"' not in page
    assert f'href="/people/{someone}"' in page
    assert client.get(f"/people/{admin}").status_code == 403  # what the link would have done


def test_a_guest_of_a_series_sees_its_rule_and_guests_but_no_committee_link(app, client):
    committee, coordinator, _ = committee_with_people(app)
    guest = make_person(app, display_name="Élodie Invitée")
    series = weekly_series(app, coordinator, committee)
    with app.app_context():
        db.session.add(MeetingGuest(series_id=series, person_id=guest))
        db.session.commit()
    logged_in(client, email_of(app, guest))
    page = client.get(f"/meetings/series/{series}").get_data(as_text=True)
    assert f"/meetings/committee/{committee}" not in page
    assert "Élodie Invitée" in page.split('id="series-guests"')[1].split("</dd>")[0]
    rule = page.split('id="series-rule">')[1].split("</dd>")[0]
    assert rule.startswith("chaque mardi, ")  # weekly on Tuesdays from 13 Oct 2026, 9:30
    assert "9" in rule and "30" in rule


def test_the_committee_list_links_only_the_committees_one_may_open(app, client):
    _, _, _ = committee_with_people(app)
    mine, _, (member, _) = committee_with_people(app)
    other, _, _ = committee_with_people(app)
    logged_in(client, email_of(app, member))
    page = client.get("/committees").get_data(as_text=True)
    assert f'href="/committees/{mine}"' in page and f'href="/committees/{other}"' not in page
    assert client.get(f"/committees/{other}").status_code == 403
