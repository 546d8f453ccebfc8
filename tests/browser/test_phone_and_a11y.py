"""In Chromium: the compact phone menu, wide tables that show they scroll and take the keyboard, the focus
ring, date and time fields, errors announced after a failed submit, the minutes' print view on a phone, and
the axe-core check itself."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import check_a11y, run_axe
from tests.calendar.factories import committee_with_people
from tests.directory.factories import email_of, make_person
from tests.meetings.minutes_support import add_action, minutes_world
from tests.support import assert_fits_phone, log_in_browser

pytestmark = pytest.mark.browser

CONTRAST = """(element) => {
  const channel = (value) => {
    value /= 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  const luminance = (color) => {
    const [r, g, b] = color.match(/[\\d.]+/g).map(Number);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const style = getComputedStyle(element);
  const ring = luminance(style.outlineColor), white = 1;
  return {
    style: style.outlineStyle, width: parseFloat(style.outlineWidth),
    contrast: (white + 0.05) / (ring + 0.05), height: element.getBoundingClientRect().height,
  };
}"""


def test_axe_core_finds_what_it_should(app, page):
    """The check is live: a page with an unlabelled field and an image without text fails it."""
    page.goto("/login")
    check_a11y(page)
    page.set_content('<html lang="fr"><title>t</title><main><img src="x"><input type="text"></main></html>')
    found = {violation["id"] for violation in run_axe(page)}
    assert {"image-alt", "label"} <= found
    with pytest.raises(AssertionError, match="image-alt"):
        check_a11y(page)


def test_the_phone_menu_is_compact_and_opens_without_script(app, phone, chromium, live_server):
    coordinator = make_person(app, roles=("coordinator",))
    page = phone()
    log_in_browser(page, email_of(app, coordinator))
    header = page.locator(".site-header").bounding_box()["height"]
    assert header / 740 <= 0.1, f"the header takes {header:.0f} px of a 740 px phone screen"
    assert not page.locator(".main-nav").is_visible()
    page.get_by_text("Menu", exact=True).click()
    assert page.locator(".main-nav").get_by_role("link", name="Rencontres", exact=True).is_visible()
    check_a11y(page)  # with the menu open

    # Without JavaScript the disclosure opens all the same
    size = {"width": 375, "height": 740}
    context = chromium.new_context(
        locale="fr-CA", base_url=live_server, viewport=size, java_script_enabled=False
    )
    bare = context.new_page()
    log_in_browser(bare, email_of(app, coordinator))
    bare.get_by_text("Menu", exact=True).click()
    bare.locator(".main-nav").get_by_role("link", name="Rencontres", exact=True).click()
    assert bare.url.endswith("/meetings/")
    context.close()


def test_on_a_wide_screen_the_menu_is_always_shown(app, page):
    log_in_browser(page, email_of(app, make_person(app, roles=("coordinator",))))
    assert not page.get_by_text("Menu", exact=True).is_visible()
    assert page.locator(".main-nav").get_by_role("link", name="Rencontres", exact=True).is_visible()


@pytest.mark.parametrize("path", ["/people", "/audit"])
def test_wide_tables_show_they_scroll_and_take_the_keyboard_on_a_phone(app, phone, path, tmp_path):
    admin = make_person(app, roles=("admin",))
    page = phone()
    log_in_browser(page, email_of(app, admin))
    page.goto(path)
    frame = page.locator(".table-wrap").first
    assert frame.evaluate("e => e.scrollWidth > e.clientWidth"), "the table fits: nothing to show"
    assert frame.get_attribute("tabindex") == "0" and frame.get_attribute("role") == "region"
    assert frame.get_attribute("aria-label") or frame.get_attribute("aria-labelledby")
    assert "gradient" in frame.evaluate("e => getComputedStyle(e).backgroundImage")  # the scroll shadows
    for _ in range(40):  # the keyboard reaches the frame…
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('table-wrap')"):
            break
    else:
        pytest.fail("Tab never reaches the table's frame")
    page.keyboard.press("ArrowRight")  # … and scrolls it (smoothly: wait for it)
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.scrollLeft > 0", timeout=5_000)
    assert_fits_phone(page, f"table{path.replace('/', '-')}", tmp_path)


def test_focus_ring_and_fields_are_visible_and_tall_enough(app, page):
    committee, coordinator, _ = committee_with_people(app)
    log_in_browser(page, email_of(app, coordinator))
    page.goto("/meetings/new")
    page.locator("main a").first.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")  # a link focused by the keyboard
    ring = page.evaluate(CONTRAST, page.evaluate_handle("document.activeElement"))
    assert ring["style"] != "none" and ring["width"] >= 2 and ring["contrast"] >= 3, ring
    for selector in ("input[type=date]", "input[type=time]", "input[type=text]", "select"):
        field = page.locator(f"main {selector}").first
        field.focus()
        shown = field.evaluate(CONTRAST)
        assert shown["style"] != "none" and shown["width"] >= 2 and shown["contrast"] >= 3, (selector, shown)
        assert shown["height"] >= 44, (selector, shown)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_after_a_failed_submit_the_first_field_in_error_has_the_focus(app, chromium, live_server, javascript):
    committee, coordinator, _ = committee_with_people(app)
    context = chromium.new_context(locale="fr-CA", base_url=live_server, java_script_enabled=javascript)
    page = context.new_page()
    log_in_browser(page, email_of(app, coordinator))
    page.goto("/meetings/new")
    page.get_by_label("Titre").fill("")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    first_invalid = page.locator("main [aria-invalid=true]").first
    expect(first_invalid).to_be_focused()  # autofocus: no script needed
    error_id = first_invalid.get_attribute("aria-describedby").split()[-1]
    assert page.locator(f"#{error_id}").inner_text().strip()  # the message it is described by
    context.close()


def test_the_minutes_print_view_fits_a_phone(app, phone, tmp_path):
    world = minutes_world(app)
    add_action(app, world, "Rédiger la fiche de référence commune, version révisée par le comité clinique")
    page = phone()
    log_in_browser(page, email_of(app, world.coordinator))
    page.goto(f"/meetings/{world.meeting}/minutes/edit")
    page.get_by_label("Notes générales").fill("Rencontre tenue en mode hybride.")
    page.locator(".minutes-form button[type=submit]").click()
    page.wait_for_url(f"**/meetings/{world.meeting}/minutes")
    page.goto(f"/meetings/{world.meeting}/minutes/print")
    assert_fits_phone(page, "minutes-print", tmp_path)
    page.goto(f"/meetings/{world.meeting}/agenda/print")
    assert_fits_phone(page, "agenda-print", tmp_path)
