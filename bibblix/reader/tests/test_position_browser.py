"""Leave and come back to the same place: the position is saved to the server (debounced) and
restored on another device (a fresh browser context). The first tests stand in for the lending
API with Playwright routes backed by one shared store (the "server"); the last uses the real
endpoint."""

import pytest

from .browser_helpers import (
    fake_progress_api,
    fraction,
    log_in,
    open_reader,
    shows_locator,
    wait_past,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# The second device: a phone like conftest's PHONE.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def read_a_few_pages(page, turns=4) -> float:
    for _ in range(turns):
        before = fraction(page)
        page.keyboard.press("ArrowRight")
        wait_past(page, before)
    return fraction(page)


def test_position_follows_the_child_to_another_device(
    browser, phone, live_server, loan, patron_ale, close_browser_context
):
    store = {}
    fake_progress_api(phone.context, store)
    log_in(phone.context, live_server, patron_ale)
    open_reader(phone, loan.book_id)
    read_at = read_a_few_pages(phone)
    cfi = phone.evaluate("() => window.bibblixReader.view.lastLocation.cfi")
    # Saved about two seconds after the last page turn: once, not once per page.
    with phone.expect_response(
        lambda r: r.request.method == "PUT" and "/api/v1/progress/" in r.url, timeout=8000
    ):
        pass
    assert store["saved"]["locator"] == cfi
    assert store["puts"] <= 2
    assert abs(store["saved"]["percentage"] - read_at) < 0.01

    other = browser.new_context(base_url=live_server.url, locale="sv-SE", **PHONE)
    try:
        fake_progress_api(other, store)
        log_in(other, live_server, patron_ale)
        page = other.new_page()
        open_reader(page, loan.book_id)
        assert shows_locator(page, cfi)
        assert abs(fraction(page) - read_at) < 0.05
        assert page.get_by_text("Välkommen tillbaka! Du fortsätter där du slutade.").is_visible()
    finally:
        close_browser_context(other)


def test_position_is_saved_when_the_child_leaves_the_page(phone, live_server, loan, patron_ale):
    store = {}
    fake_progress_api(phone.context, store)
    log_in(phone.context, live_server, patron_ale)
    open_reader(phone, loan.book_id)
    read_a_few_pages(phone, turns=2)
    cfi = phone.evaluate("() => window.bibblixReader.view.lastLocation.cfi")
    with phone.expect_response(
        lambda r: r.request.method == "PUT" and "/api/v1/progress/" in r.url
    ):
        # Hiding the page (switching app, locking the phone) saves at once, without the delay.
        phone.evaluate(
            """() => {
                Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true })
                document.dispatchEvent(new Event('visibilitychange'))
            }"""
        )
    assert store["saved"]["locator"] == cfi


def test_no_welcome_back_when_the_saved_place_is_the_first_page(
    phone, live_server, loan, patron_ale
):
    store = {}
    fake_progress_api(phone.context, store)
    log_in(phone.context, live_server, patron_ale)
    open_reader(phone, loan.book_id)
    start = phone.evaluate("() => window.bibblixReader.view.lastLocation.cfi")
    store["saved"] = {
        "locator": start,
        "percentage": 0.0,
        "updated_at": "2026-01-01T12:00:00+00:00",
    }
    open_reader(phone, loan.book_id)
    assert not phone.get_by_text("Välkommen tillbaka! Du fortsätter där du slutade.").is_visible()


def test_position_round_trip_through_the_real_lending_api(
    browser, phone, live_server, loan, patron_ale, close_browser_context
):
    log_in(phone.context, live_server, patron_ale)
    open_reader(phone, loan.book_id)
    read_at = read_a_few_pages(phone)
    cfi = phone.evaluate("() => window.bibblixReader.view.lastLocation.cfi")
    with phone.expect_response(
        lambda r: r.request.method == "PUT" and "/api/v1/progress/" in r.url
    ) as saved:
        pass
    assert saved.value.ok
    assert saved.value.json()["locator"] == cfi
    other = browser.new_context(base_url=live_server.url, locale="sv-SE", **PHONE)
    try:
        log_in(other, live_server, patron_ale)
        page = other.new_page()
        open_reader(page, loan.book_id)
        assert shows_locator(page, cfi)
        assert abs(fraction(page) - read_at) < 0.05
    finally:
        close_browser_context(other)
