"""axe-core over every page the browser tests visit (WCAG 2.1 A and AA rules): no violation allowed.

Every browser context the fixtures open records each HTML document it loads, as parsed (at DOMContentLoaded),
with the viewport it was shown in. After the test, each distinct document is shown again in a context of the
same size, served from the live server's address (so its stylesheet and scripts apply), and axe-core checks
it. `check_a11y(page)` checks a page as it stands now (a menu opened, a field in error focused).
axe-core comes from npm (tests/browser/axe/package.json), installed by .ci/system-deps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

AXE_JS = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
SNAPSHOT = """
(() => {
  if (window.top !== window || !location.protocol.startsWith('http')) return;
  const send = () => {
    if (document.contentType !== 'text/html' || !window.__coordSnapshot) return;
    const html = '<!doctype html>\\n' + document.documentElement.outerHTML;
    window.__coordSnapshot(location.href.split('#')[0], html);
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', send, {once: true});
  else send();
})();
"""
# What shapes the page: kept from the context a test opened, for the context that checks its documents.
SHAPING = ("viewport", "is_mobile", "has_touch", "device_scale_factor", "locale", "color_scheme")


def axe_source() -> str:
    if not AXE_JS.exists():
        raise RuntimeError(f"{AXE_JS} is missing: run .ci/system-deps (npm ci in tests/browser/axe)")
    return AXE_JS.read_text(encoding="utf-8")


def describe(violations: list[dict], where: str) -> list[str]:
    lines = []
    for violation in violations:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        lines.append(f"{where}: {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return lines


def run_axe(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it stands (evaluated through the DevTools protocol,
    which the page's CSP does not restrict)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    return page.evaluate(RUN_AXE, WCAG_TAGS)["violations"]


def check_a11y(page) -> None:
    """Fail when axe-core finds a WCAG 2.1 A/AA violation on the page as it is now."""
    problems = describe(run_axe(page), page.url)
    assert not problems, "axe-core violations:\n" + "\n".join(problems)


@dataclass
class Recorder:
    """The documents the browser contexts of one test loaded, to be checked after the test."""

    documents: dict[tuple, tuple[str, str, dict]] = field(default_factory=dict)
    expects_documents: bool = False  # a context without JavaScript records nothing (same HTML as with it)

    def attach(self, context, options: dict) -> None:
        if options.get("java_script_enabled", True) is False:
            return
        self.expects_documents = True
        shaping = {key: value for key, value in options.items() if key in SHAPING}
        key_of_shape = tuple(sorted((key, repr(value)) for key, value in shaping.items()))

        def snapshot(_source, url: str, html: str) -> None:
            self.documents.setdefault((key_of_shape, html), (url, html, shaping))

        context.expose_binding("__coordSnapshot", snapshot)
        context.add_init_script(SNAPSHOT)

    def check(self, browser) -> list[str]:
        """Every recorded document shown again at its size, checked by axe-core; the problems found."""
        problems: list[str] = []
        contexts: dict[tuple, object] = {}
        try:
            for (shape, _html), (url, html, shaping) in self.documents.items():
                if shape not in contexts:
                    contexts[shape] = browser.new_context(**shaping)
                page = contexts[shape].new_page()
                page.route(lambda u, target=url: u.split("#")[0] == target, _serve(html))
                page.goto(url, wait_until="load")
                width = shaping.get("viewport", {}).get("width", 1280)
                problems += describe(run_axe(page), f"{url} at {width}px")
                page.close()
        finally:
            for context in contexts.values():
                context.close()
        return problems


def _serve(html: str):
    def fulfill(route) -> None:
        if route.request.resource_type == "document":
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
        else:
            route.continue_()

    return fulfill


class RecordingBrowser:
    """The session's Chromium, whose new contexts record their documents for the current test's check."""

    def __init__(self, browser) -> None:
        self._browser = browser
        self.recorder: Recorder | None = None

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        if self.recorder is not None:
            self.recorder.attach(context, options)
        return context

    def __getattr__(self, name):
        return getattr(self._browser, name)
