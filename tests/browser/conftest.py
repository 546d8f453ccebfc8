"""Every page a browser test visits is checked by axe-core afterwards (tests/browser/a11y.py)."""

from __future__ import annotations

import pytest

from tests.browser.a11y import Recorder


@pytest.fixture(autouse=True)
def axe_every_page(chromium, live_server):
    """Record the documents of the test's browser contexts; after the test, no WCAG 2.1 A/AA violation."""
    chromium.recorder = recorder = Recorder()
    yield recorder
    chromium.recorder = None
    problems = recorder.check(chromium._browser)
    assert recorder.documents, "the browser test visited no page axe-core could check"
    assert not problems, "axe-core violations:\n" + "\n".join(problems)
