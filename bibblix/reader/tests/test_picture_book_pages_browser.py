"""Turning a picture book page by page on a phone: the label names the page the child sees, and
leaving and coming back (on this phone or another device) shows that same page again.

foliate-js 1.0.1 reports the right-hand page of a spread as current and switches sides within a
spread without telling; the reader follows the page shown (reader/shown-page.js)."""

import pytest

from .browser_helpers import fake_progress_api, log_in, open_reader, shown_pages, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.shared, pytest.mark.django_db(transaction=True)]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
LABEL = "() => document.getElementById('progress-label').textContent"


def turn_to(page, button: str, number: int, total: int) -> None:
    """Press ‹ or › and check that the page shown, the label and the saved place all agree."""
    page.get_by_role("button", name=button).click()
    wait_until(page, f"t => ({LABEL})().includes(t)", f"Sida {number} av {total}")
    assert shown_pages(page) == [number]
    location = page.evaluate("() => window.bibblixReader.location.cfi")
    assert (
        page.evaluate("cfi => window.bibblixReader.view.resolveNavigation(cfi).index", location)
        == number - 1
    )


def assert_shows(page, number: int, total: int) -> None:
    wait_until(page, f"t => ({LABEL})().includes(t)", f"Sida {number} av {total}")
    assert shown_pages(page) == [number]


@pytest.mark.parametrize(
    "file, total",
    [
        ("sample_cole-voyage-of-life_fxl.epub", 10),
        ("sample_mol-timing-synchronization-fxl_mo.epub", 4),
    ],
)
def test_label_and_saved_place_follow_the_picture_book_page_shown(
    browser,
    phone,
    live_server,
    lend_sample_book,
    patron_ale,
    close_browser_context,
    file,
    total,
):
    book = lend_sample_book(patron_ale, file, "Bilderbok", layout="fixed")
    store = {}
    fake_progress_api(phone.context, store)
    log_in(phone.context, live_server, patron_ale)
    open_reader(phone, book.pk)
    assert_shows(phone, 1, total)
    for number in range(2, total + 1):
        turn_to(phone, "Nästa sida", number, total)
    back_to = 2  # the left page of a spread: foliate-js alone would name the right one
    for number in range(total - 1, back_to, -1):
        turn_to(phone, "Föregående sida", number, total)
    # Saved about two seconds after the last page turn: the page shown, not its neighbour.
    with phone.expect_response(lambda r: r.request.method == "PUT" and "/progress/" in r.url):
        turn_to(phone, "Föregående sida", back_to, total)
    cfi = phone.evaluate("() => window.bibblixReader.location.cfi")
    assert store["saved"]["locator"] == cfi

    # Leave and come back: the same page is shown.
    phone.goto("/read/")
    open_reader(phone, book.pk)
    assert_shows(phone, back_to, total)
    assert phone.get_by_text("Välkommen tillbaka! Du fortsätter där du slutade.").is_visible()

    other = browser.new_context(base_url=live_server.url, locale="sv-SE", **PHONE)
    try:
        fake_progress_api(other, store)
        log_in(other, live_server, patron_ale)
        page = other.new_page()
        open_reader(page, book.pk)
        assert_shows(page, back_to, total)
    finally:
        close_browser_context(other)


def test_wide_screen_shows_the_spread_and_names_its_first_page(
    browser, live_server, lend_sample_book, patron_ale, close_browser_context
):
    book = lend_sample_book(
        patron_ale, "sample_cole-voyage-of-life_fxl.epub", "The Voyage of Life", layout="fixed"
    )
    # A tablet held sideways: both pages of a spread fit.
    wide = browser.new_context(
        base_url=live_server.url,
        locale="sv-SE",
        **{**PHONE, "viewport": {"width": 1180, "height": 820}},
    )
    try:
        log_in(wide, live_server, patron_ale)
        page = wide.new_page()
        open_reader(page, book.pk)
        assert_shows(page, 1, 10)
        page.get_by_role("button", name="Nästa sida").click()
        wait_until(page, f"t => ({LABEL})().includes(t)", "Sida 2 av 10")
        assert shown_pages(page) == [2, 3]
        assert page.evaluate("() => window.bibblixReader.location.section.current") == 1
    finally:
        close_browser_context(wide)
