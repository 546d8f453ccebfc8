"""Québec French by the OQLF: "9 h 30", "13 h", elision, French unless the browser asks for English."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from flask_babel import force_locale
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from coord.core.clock import clock
from coord.i18n import browser_language
from coord.templating import de, local_datetime, local_time
from tests.support import text

NBSP = "\u00a0"
MORNING = datetime(2026, 12, 8, 14, 30, tzinfo=UTC)  # 9 h 30 in Montréal (EST)
AFTERNOON = datetime(2026, 12, 8, 18, 0, tzinfo=UTC)  # 13 h


def test_one_formatter_writes_hours_the_quebec_way(app):
    with app.test_request_context(), force_locale("fr_CA"):
        assert clock(MORNING) == f"9{NBSP}h{NBSP}30"
        assert clock(AFTERNOON) == f"13{NBSP}h"
        assert clock(time(8, 5)) == f"8{NBSP}h{NBSP}05"
        assert local_time(MORNING) == f"9{NBSP}h{NBSP}30"
        assert local_datetime(MORNING) == f"8 déc. 2026 à 9{NBSP}h{NBSP}30"
        assert local_datetime(AFTERNOON, "d MMMM yyyy 'à' H 'h' mm") == f"8 décembre 2026 à 13{NBSP}h"
    with app.test_request_context(), force_locale("en_CA"):
        assert clock(AFTERNOON) == "1:00\u00a0p.m."
        assert local_time(MORNING) == "9:30\u00a0a.m."


def test_every_module_uses_the_shared_formatter(app):
    from coord.conferences.views import spoken_time as conference_time
    from coord.outreach import admin_labels, request_dates, session_labels

    with app.test_request_context(), force_locale("fr_CA"):
        expected = f"9{NBSP}h{NBSP}30"
        assert conference_time(MORNING) == expected  # was "9 h 30" with ordinary spaces
        assert session_labels.spoken_time(MORNING) == expected
        assert admin_labels.clock(MORNING) == request_dates.clock(MORNING) == expected
        first = datetime(2027, 2, 1, 14, 30, tzinfo=UTC)
        assert session_labels.spoken_datetime(first) == f"lundi 1er février 2027, 9{NBSP}h{NBSP}30"
    with app.test_request_context(), force_locale("en_CA"):
        assert conference_time(AFTERNOON) == admin_labels.clock(AFTERNOON) == "1:00\u00a0p.m."


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Élodie", "d'Élodie"), ("Karim", "de Karim"), ("Annie", "d'Annie"), ("Hélène", "d'Hélène"), ("", "de")],
)
def test_de_elides_before_a_vowel(name, expected):
    assert de(name) == expected


def test_de_filter_in_templates(app):
    with app.test_request_context():
        rendered = app.jinja_env.from_string("{{ 'Élodie'|de }} / {{ name|de('que') }}").render(name="Omar")
    assert rendered == "d&#39;Élodie / qu&#39;Omar"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", "fr"),
        ("*", "fr"),
        ("de", "fr"),
        ("fr-CA,en;q=0.8", "fr"),  # was English: an exact "en" beat the regional "fr-CA"
        ("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", "fr"),
        ("en;q=0.5,fr;q=0.5", "fr"),
        ("en-US,en;q=0.9,fr;q=0.8", "en"),
        ("en-GB", "en"),
    ],
)
def test_a_browser_that_does_not_ask_for_english_gets_french(header, expected):
    assert browser_language(parse_accept_header(header, LanguageAccept), ("fr", "en")) == expected


def test_newcomer_from_a_quebec_browser_reads_french(client):
    page = text(client.get("/login", headers={"Accept-Language": "fr-CA,en;q=0.8"}))
    assert '<html lang="fr-CA">' in page


def test_an_email_subject_keeps_its_non_breaking_spaces():
    from coord.core.text import one_line

    assert one_line(f"Invitation{NBSP}: rencontre,\n 3 nov. à 9{NBSP}h{NBSP}30 ") == (
        f"Invitation{NBSP}: rencontre, 3 nov. à 9{NBSP}h{NBSP}30"
    )


def test_the_first_of_the_month_is_1er(app):
    from datetime import date

    with app.test_request_context(), force_locale("fr_CA"):
        first = datetime(2026, 12, 1, 14, 30, tzinfo=UTC)
        assert local_datetime(first) == f"1er déc. 2026 à 9{NBSP}h{NBSP}30"
        assert app.jinja_env.filters["localdate"](date(2027, 2, 1)) == "1er février 2027"
        assert app.jinja_env.filters["longday"](date(2026, 12, 1)) == "mardi 1er décembre"
        assert local_datetime(datetime(2026, 12, 11, 14, 30, tzinfo=UTC)).startswith("11 déc.")
    with app.test_request_context(), force_locale("en_CA"):
        assert app.jinja_env.filters["longday"](date(2026, 12, 1)) == "Tuesday, December 1"


def test_a_name_composed_after_de_is_elided(app):
    from markupsafe import Markup

    with app.test_request_context(), force_locale("fr_CA"):
        template = app.jinja_env.from_string('{{ _("Attendance of %(name)s", name=name) }}')
        rendered = template.render(name="Élodie")
        assert rendered == "Présence d'Élodie"
        assert app.jinja_env.from_string('{{ _("Attendance of %(name)s", name="Karim") }}').render() == (
            "Présence de Karim"
        )
        assert app.jinja_env.filters["elide"](Markup("Le compte de <b>x</b> de Annie")) == Markup(
            "Le compte de <b>x</b> d'Annie"
        )
        assert app.jinja_env.filters["elide"]("de une heure à de haut") == "de une heure à de haut"
    with app.test_request_context(), force_locale("en_CA"):
        assert app.jinja_env.filters["elide"]("de Annie") == "de Annie"


def test_a_flash_with_a_name_is_elided(app, client):
    from tests.directory.factories import email_of, make_person
    from tests.support import logged_in, post_form

    admin = make_person(app, roles=("admin",))
    person = make_person(app, display_name="Annie Tremblay")
    logged_in(client, email_of(app, admin))
    response = post_form(client, f"/people/{person}/deactivate", {}, token_page=f"/people/{person}")
    assert response.status_code in (302, 303)
    page = text(client.get(response.headers["Location"]))
    assert "Le compte d'Annie Tremblay est désactivé" in page
