"""The referral pages: script- and style-free, every field labelled, no duplicate ids, both languages."""

from __future__ import annotations

import re
from collections import Counter

from coord.directory.models import Person
from coord.extensions import db
from tests.referrals.referral_factories import referral_client, referral_intake, referral_sent, referral_world
from tests.support import text


def check_page(html: str, url: str) -> None:
    assert re.search(r'<html lang="(fr|en)-CA">', html), url
    assert not re.search(r"<script(?![^>]*\ssrc=)", html), f"inline script on {url}"
    assert " style=" not in html, f"inline style on {url}"
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert not [i for i, n in ids.items() if n > 1], f"duplicate ids on {url}: {ids.most_common(3)}"
    for field_id in re.findall(r'<(?:input|select|textarea)[^>]*\sid="([^"]+)"', html):
        tag = re.search(
            r'<(?:input|select|textarea)[^>]*\sid="' + re.escape(field_id) + '"[^>]*>', html
        ).group(0)
        if 'type="hidden"' in tag:
            continue
        labelled = f'for="{field_id}"' in html or re.search(r"<label[^>]*>\s*" + re.escape(tag), html)
        assert labelled, f"field {field_id} on {url} has no label"


def test_every_referral_page_is_clean(app):
    world = referral_world(app)
    ref = referral_sent(app, world)
    referral_intake(app, world.sender_org, world.sender)
    pages = {
        world.sender: [
            f"/referrals/new/{world.participant_ref}",
            f"/referrals/{ref}",
            f"/referrals/{ref}/withdraw",
            "/referrals/sent",
            "/referrals/incoming",
        ],
        world.intake: [f"/referrals/{ref}", "/referrals/incoming"],
        world.coordinator: ["/referrals/board", "/referrals/intake"],
    }
    for person, urls in pages.items():
        client = referral_client(app, person)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.headers["Cache-Control"] == "no-store", url
            check_page(text(response), url)


def test_the_pages_speak_english_to_an_english_reader(app):
    world = referral_world(app)
    ref = referral_sent(app, world)
    client = referral_client(app, world.intake)
    with app.app_context():
        db.session.get(Person, world.intake).preferred_language = "en"
        db.session.commit()
    page = text(client.get(f"/referrals/{ref}"))
    assert "Awaiting an answer" in page and "Individual follow-up" in page
