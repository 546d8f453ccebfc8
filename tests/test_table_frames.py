"""Every frame that lets a wide table scroll sideways is reachable by keyboard and named (WCAG 2.1.1, 4.1.2):
tabindex="0", role="region" and a label, in every template."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
FRAME = re.compile(r"<div\b[^>]*\bclass=\"[^\"]*\btable-wrap\b[^\"]*\"[^>]*>")


def test_every_table_frame_takes_the_keyboard_and_has_a_name():
    frames = [
        (path.relative_to(TEMPLATES), tag)
        for path in sorted(TEMPLATES.rglob("*.html"))
        for tag in FRAME.findall(path.read_text(encoding="utf-8"))
    ]
    assert len(frames) >= 10
    wrong = [
        (str(path), tag)
        for path, tag in frames
        if 'tabindex="0"' not in tag
        or 'role="region"' not in tag
        or not re.search(r"\baria-label(ledby)?=\"[^\"]+\"", tag)
    ]
    assert not wrong, wrong
