"""The French scan sees each kind of fault, on pages and in e-mails, and leaves correct French alone."""

from __future__ import annotations

import pytest
from flask import Flask

from coord.notify import mail
from tests.french_scan import SCAN, faults

NBSP = "\u00a0"


def page(body: str, lang: str = "fr-CA") -> str:
    return f'<!doctype html><html lang="{lang}"><head><title>t</title></head><body>{body}</body></html>'


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("La rencontre commence à 09:30.", "HH:MM"),
        ("Quand: mardi", "non-breaking"),
        ("Quand : mardi", "ordinary space"),
        ("Êtes-vous présent·e?", "non-breaking"),
        ("2 invitation(s) envoyée(s)", "(s)"),
        ("Rencontres — Publish and invite", "untranslated English"),
    ],
)
def test_each_kind_of_fault_is_found(text, kind):
    found = faults(text)
    assert found and kind in found[0], found


def test_correct_french_and_what_is_no_prose_pass():
    assert not faults(f"Quand{NBSP}: mardi 8 décembre, 9{NBSP}h{NBSP}30 à 13{NBSP}h. Présent·e{NBSP}?")
    assert not faults("Lien : https://coord.example/feeds/abc.ics?x=1 et coordinator@demo.coord.test"[8:])
    html = page(f'<input type="time" value="09:30"><code>auth.login: x</code><p>Début{NBSP}: 9{NBSP}h</p>')
    from tests.french_scan import visible_text

    assert not faults(visible_text(html))


@pytest.mark.expect_french_fault
def test_a_french_page_with_a_fault_fails_its_test(app):
    app.add_url_rule("/scan-probe", "scan_probe", lambda: page("<p>Début: 09:30</p>"))
    app.test_client().get("/scan-probe")


def test_an_english_page_is_not_scanned(app):
    app.add_url_rule("/scan-probe", "scan_probe", lambda: page("<p>Start: 09:30</p>", lang="en-CA"))
    before = SCAN.pages
    app.test_client().get("/scan-probe")
    assert SCAN.pages == before and not SCAN.findings()


@pytest.mark.expect_french_fault
def test_a_french_email_with_a_fault_fails_its_test(app: Flask):
    from email.message import EmailMessage

    message = EmailMessage()
    message["Subject"] = "2 invitation(s)"
    message["To"] = "x@example.org"
    message["From"] = "coord@example.org"
    message.set_content("Rencontre")
    message["Content-Language"] = "fr"  # last, as mail.build_message does: set_content drops Content-*
    with app.app_context():
        mail.deliver(message)


def test_a_french_feed_description_is_read():
    from tests.french_scan import feed_french_text

    body = (
        "BEGIN:VEVENT\r\nSUMMARY:Rencontre\r\nDESCRIPTION:Début à 09:30.\\n\\nDétails\u00a0: https://x.test/\r\n"
        " a\r\nEND:VEVENT\r\n"
    )
    text = feed_french_text(body)
    assert text is not None and any("HH:MM" in fault for fault in faults(text))
    assert feed_french_text(body.replace("Détails\u00a0", "Details")) is None  # an English feed
