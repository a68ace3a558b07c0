"""The sample books from ../shared: a fixed-layout picture book and a book with recorded
narration (EPUB Media Overlays)."""

from pathlib import Path

import pytest
from django.conf import settings

from .browser_helpers import log_in, open_reader, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.shared, pytest.mark.django_db(transaction=True)]
BOOKS = Path(settings.SHARED_DIR) / "books"


@pytest.fixture(params=["phone", "tablet"])
def device(request):
    return request.getfixturevalue(request.param)


def test_picture_book_shows_whole_pages_and_zooms(
    device, live_server, make_book, make_loan, patron_ale
):
    book = make_book(
        "The Voyage of Life",
        data=(BOOKS / "sample_cole-voyage-of-life_fxl.epub").read_bytes(),
        layout="fixed",
        language="en",
    )
    make_loan(patron_ale, book)
    log_in(device.context, live_server, patron_ale)
    open_reader(device, book.pk)
    assert device.locator("#reader").get_attribute("data-layout") == "fixed"
    assert device.evaluate("() => window.bibblixReader.view.renderer.localName") == "foliate-fxl"
    label = device.locator("#progress-label").inner_text()
    device.get_by_role("button", name="Nästa sida").click()
    wait_until(device, "l => document.getElementById('progress-label').textContent !== l", label)
    # Page or spread: the next page shown is page 2 or 3 of 10.
    assert any(f"Sida {n} av 10" in device.locator("#progress-label").inner_text() for n in (2, 3))
    device.screenshot(path=f"/tmp/fxl-{device.viewport_size['width']}.png")
    # Zoom: the picture gets bigger than "whole page", and back.
    scale = "() => window.bibblixReader.view.renderer.getAttribute('zoom')"
    device.get_by_role("button", name="Text och färger").click()
    device.get_by_role("button", name="Zooma in").click()
    assert float(device.evaluate(scale)) > 0
    device.get_by_role("button", name="Hela sidan").click()
    assert device.evaluate(scale) == "fit-page"


def test_recorded_narration_plays_with_highlight(
    phone, live_server, make_book, make_loan, patron_ale
):
    book = make_book(
        "Media overlays",
        data=(BOOKS / "sample_mol-navigation_mo.epub").read_bytes(),
        has_media_overlays=True,
        language="en",
    )
    make_loan(patron_ale, book)
    log_in(phone.context, live_server, patron_ale)
    open_reader(phone, book.pk)
    phone.get_by_role("button", name="Läs högt").click()
    assert phone.get_by_text("En inspelad röst läser boken.").is_visible()
    phone.get_by_role("button", name="Spela / pausa").click()
    highlighted = """() => {
        const doc = window.bibblixReader.view.renderer.getContents()[0].doc
        const cls = window.bibblixReader.view.book.media.activeClass
        return Boolean(doc.querySelector('.' + CSS.escape(cls)))
    }"""
    wait_until(phone, highlighted, timeout=15_000)
    phone.get_by_role("button", name="Spela / pausa").click()
    assert phone.locator("#aloud-play").get_attribute("data-state") == "paused"
