"""The operators' page in a real browser (issue 14): headless Chromium (Debian's `chromium`, driven by
Playwright) against `ivr messages serve`'s server on a moto table: add, preview, conflict, bad input,
and the accessibility basics (labels, keyboard)."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ivr.messages.serve import LocalPage
from lambdas.messages_api.routes import MessagesApi
from tests.messages_api.conftest import CENTER

CHROMIUM = Path(os.environ.get("IVR_CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags Chromium's own connections are refused many at a time on a closed network.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (.ci/run installs Debian's chromium)")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page_server(store) -> Iterator[LocalPage]:
    server = LocalPage(MessagesApi(store, CENTER), port=0).start()
    yield server
    server.stop()


def signed_in(browser, server: LocalPage, name: str = "ann@example.com", group: str = "editors"):
    context = browser.new_context()
    # The browser's speech is recorded, not played: what the "Speak it" button says.
    context.add_init_script("window.spoken = []; speechSynthesis.speak = (u) => window.spoken.push([u.lang, u.text]);")
    page = context.new_page()
    page.goto(server.url + "/")
    page.get_by_label("Your name or email").fill(name)
    page.get_by_label("Editor" if group == "editors" else "Viewer", exact=False).check()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("#main:not([hidden])")
    return page


def test_emergency_now_for_two_hours_in_two_clicks(browser, page_server, store):
    page = signed_in(browser, page_server)
    page.get_by_role("button", name="Emergency: close now for 2 hours…").click()
    page.get_by_role("button", name="Save").click()  # focused already: Enter would do too
    row = page.locator("#messages tr", has_text="emergency-")
    row.wait_for()
    assert "live (plays)" in row.inner_text()
    (message,) = store.messages()
    assert (message.kind, message.effect, message.updated_by) == ("EMERGENCY", "CLOSE", "ann@example.com")
    assert page.locator("#hearing tr", has_text="call start, flow main").first.inner_text().split("\t")[2] == "CLOSED"


def test_add_then_preview_and_hear_it(browser, page_server):
    page = signed_in(browser, page_server)
    page.get_by_role("button", name="New message…").click()
    page.get_by_label("Id (lowercase letters, digits, dashes)").fill("christmas")
    page.get_by_label("Kind", exact=True).select_option("HOLIDAY")
    page.get_by_label("Start (now").fill("12-25")
    page.get_by_label("Text in en-US").fill("We are closed for Christmas.")
    page.get_by_role("button", name="Save").click()
    page.locator("#messages tr", has_text="christmas").wait_for()
    page.get_by_label("At (now").fill("2026-12-25T10:00")
    page.get_by_label("Where", exact=True).select_option("flow:main")
    page.get_by_role("button", name="Preview", exact=True).click()
    page.locator("#preview-text").wait_for()
    assert "CLOSED" in page.locator("#preview").inner_text() and "2026-12-25 10:00 EST" in page.locator("#preview").inner_text()
    page.get_by_role("button", name="Speak it").click()
    assert page.evaluate("window.spoken") == [["en-US", "We are closed for Christmas."]]


def test_a_stale_tab_is_refused_with_what_changed(browser, page_server, store):
    first, second = signed_in(browser, page_server), signed_in(browser, page_server, "bob@example.com")
    first.get_by_role("button", name="Emergency: close now for 2 hours…").click()
    first.get_by_role("button", name="Save").click()
    first.locator("#messages tr", has_text="emergency-").wait_for()
    second.reload()
    second.wait_for_selector("#main:not([hidden])")
    for page in (first, second):
        page.get_by_role("button", name="Edit emergency-", exact=False).click()
    first.get_by_label("Text in en-US").fill("Closed: the building is flooded.")
    first.get_by_role("button", name="Save").click()
    expect(first.locator("#status")).to_contain_text("update emergency-")
    second.get_by_label("Text in en-US").fill("Closed: snow.")
    second.get_by_role("button", name="Save").click()
    conflict = second.locator("#conflict")
    conflict.wait_for()
    text = conflict.inner_text()
    assert "someone else changed it" in text and "ann@example.com" in text and "flooded" in text
    (message,) = store.messages()
    assert message.texts["en-US"] == "Closed: the building is flooded." and message.version == 2
    second.get_by_role("button", name="Load the current version").click()
    assert second.get_by_label("Text in en-US").input_value() == "Closed: the building is flooded."


def test_bad_input_is_shown_next_to_the_field_and_nothing_is_written(browser, page_server, store):
    page = signed_in(browser, page_server)
    page.get_by_role("button", name="New message…").click()
    page.get_by_label("Id (lowercase letters, digits, dashes)").fill("Storm Now")
    page.get_by_label("Text in en-US").fill("Closed.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#e-id")).to_contain_text("lowercase letters")
    assert page.get_by_label("Id (lowercase letters, digits, dashes)").get_attribute("aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "f-id"
    page.get_by_label("Id (lowercase letters, digits, dashes)").fill("storm")
    page.locator("#f-end").fill("yesterday")
    page.get_by_label("Start (now").fill("now")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#e-end")).to_contain_text("is not a time")
    assert store.messages() == [] and store.history() == []


def test_every_control_has_a_label_and_the_page_works_from_the_keyboard(browser, page_server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(page_server.url + "/")
    # The name field takes the focus once the page's script has run: on a loaded machine that is after
    # `goto` returns, and keys typed before it went nowhere (the sign-in then never came).
    expect(page.get_by_label("Your name or email")).to_be_focused()
    page.keyboard.type("kim@example.com")
    page.keyboard.press("Enter")
    page.wait_for_selector("#main:not([hidden])")
    unlabelled = page.evaluate("""[...document.querySelectorAll('input, select, textarea')]
        .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map((e) => e.id || e.name)""")
    assert unlabelled == []
    page.locator("#emergency").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "save"
    page.keyboard.press("Enter")
    page.locator("#messages tr", has_text="emergency-").wait_for()


def test_a_viewer_sees_no_editing_controls(browser, page_server):
    page = signed_in(browser, page_server, "vic@example.com", "viewers")
    assert page.locator("#emergency").is_hidden()
    assert "viewer" in page.locator("#identity").inner_text()


def test_the_page_is_served_with_the_security_headers(page_server):
    import urllib.request

    with urllib.request.urlopen(page_server.url + "/") as answer:
        headers = answer.headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"] and headers["X-Frame-Options"] == "DENY"


