"""The French catalog by the OQLF's rules, and the program's one inclusive writing (the median dot)."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale

from tests.french.catalog import french_strings


def test_a_non_breaking_space_before_high_punctuation_and_inside_guillemets():
    bad = []
    for _msgid, string in french_strings():
        prose = re.sub(r"\w+://\S*|%\([a-z_]+\)s|'[^']*'", "", string)  # URLs, placeholders, CLDR literals
        if re.search(r"[ \u202f][:;!?]|[^\s\u00a0\u202f:;!?/\d(«\"'=&][:;!?](?=\s|$)|« |«\w| »|\w»", prose):
            bad.append(string)
    assert not bad, bad[:10]


def test_real_plurals_and_one_word_for_one_thing():
    strings = [string for _, string in french_strings()]
    assert not [s for s in strings if re.search(r"\w\((?:e?s|x)\)", s)]
    assert not [s for s in strings if re.search(r"\bréunions?\b", s, re.IGNORECASE)]  # "rencontre"
    assert not [s for s in strings if re.search(r"\borganisations?\b", s, re.IGNORECASE)]  # "organisme"


def test_inclusive_writing_uses_the_median_dot_the_program_uses():
    strings = [string for _, string in french_strings()]
    assert not [s for s in strings if re.search(r"\w·es\b", s)], "intervenant·e·s, not intervenant·es"
    assert not [s for s in strings if re.search(r"\w\(e\)|\w/e\b|\w-e-s\b", s)]
    assert not [s for s in strings if "personne participante" in s or "personnes participantes" in s]


@pytest.mark.parametrize(
    ("role", "label"),
    [
        ("coordinator", "Coordonnateur·rice"),
        ("intervenant", "Intervenant·e"),
        ("partner", "Professionnel·le partenaire"),
        ("requester", "Demandeur·euse"),
        ("researcher", "Chercheur·euse en évaluation"),
        ("admin", "Administrateur·rice"),
    ],
)
def test_role_labels_in_inclusive_writing(app, role, label):
    from coord.directory.forms import ROLE_LABELS
    from coord.directory.models import Role

    with app.test_request_context(), force_locale("fr_CA"):
        assert str(ROLE_LABELS[Role(role)]) == label
