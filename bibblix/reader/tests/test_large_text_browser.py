"""The reader at 200 % text on a phone and a tablet (WCAG 1.4.4, 1.4.10): full screen without
the site menu, "Stäng" back to the book, a toolbar of one row (the tools fold into "Meny"),
and the page text always on screen."""

import pytest

from .browser_helpers import log_in, open_reader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# One row: every item of the bar overlaps the vertical middle of the tallest one.
BAR_ROWS = """() => {
    const items = [...document.querySelectorAll('.reader-bar > *')].filter(e => e.checkVisibility())
    const boxes = items.map(e => e.getBoundingClientRect())
    const tallest = boxes.reduce((a, b) => (b.height > a.height ? b : a))
    const middle = tallest.top + tallest.height / 2
    return boxes.every(b => b.top <= middle && b.bottom >= middle) ? 1 : 2
}"""
PAGE_TEXT = "() => window.bibblixReader.view.lastLocation.range.toString().trim().length"


@pytest.fixture(params=["phone", "tablet"])
def device(request):
    return request.getfixturevalue(request.param)


def test_reader_at_double_text_size_is_full_screen_with_the_book_in_view(
    device, live_server, loan, patron_ale
):
    log_in(device.context, live_server, patron_ale)
    open_reader(device, loan.book_id)
    device.evaluate("() => { document.documentElement.style.fontSize = '200%' }")
    height = device.viewport_size["height"]
    width = device.viewport_size["width"]

    assert not device.locator(".site-header").is_visible()
    assert not device.get_by_role("button", name="Logga ut").is_visible()
    close = device.get_by_role("link", name="Stäng")
    assert close.is_visible()
    assert close.get_attribute("href") == f"/books/{loan.book_id}/"
    device.wait_for_function(f"() => ({BAR_ROWS})() === 1")
    assert device.evaluate("() => document.documentElement.scrollWidth <= innerWidth + 1")

    stage = device.locator(".book-stage").bounding_box()
    assert stage["height"] >= 0.45 * height, stage
    assert device.evaluate(PAGE_TEXT) > 0

    # Every tool is reachable: straight from the bar, or from "Meny" when the bar is full.
    menu = device.get_by_role("button", name="Meny")
    for name in ("Innehåll", "Text och färger", "Läs högt", "Bokmärke"):
        if menu.is_visible() and not device.get_by_role("button", name=name).is_visible():
            menu.click()
        button = device.get_by_role("button", name=name)
        box = button.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, name
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, name
        assert box["y"] + box["height"] <= height, name
        device.keyboard.press("Escape")
    for name in ("Nästa sida", "Föregående sida"):
        assert device.get_by_role("button", name=name).is_visible()
    assert device.evaluate(PAGE_TEXT) > 0
