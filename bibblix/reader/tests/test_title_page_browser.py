"""Opening a book at its title page again and again always shows the title page (foliate-js
once opened every second time on the blank page before it, and the saved place alternated)."""

import pytest

from .browser_helpers import log_in, open_reader

pytestmark = [pytest.mark.browser, pytest.mark.shared, pytest.mark.django_db(transaction=True)]

SHOWN = """() => {
    const view = window.bibblixReader.view
    return { cfi: view.lastLocation.cfi, page: view.renderer.page,
             text: view.lastLocation.range.toString().trim().slice(0, 40) }
}"""


@pytest.fixture(params=["phone", "tablet"])
def device(request):
    return request.getfixturevalue(request.param)


def test_every_opening_at_the_title_page_shows_it(
    device, live_server, lend_sample_book, patron_ale
):
    book = lend_sample_book(patron_ale, "baum_wonderful-wizard-of-oz.epub", "Oz")
    log_in(device.context, live_server, patron_ale)
    places = []
    for _ in range(4):
        open_reader(device, book.pk)
        shown = device.evaluate(SHOWN)
        assert shown["page"] >= 1
        assert shown["text"].startswith("The Wonderful Wizard of Oz")
        places.append(shown["cfi"])
        device.evaluate("() => window.bibblixReader.flushSave()")
        device.goto("/my/")  # the save is sent with keepalive; this page waits for nothing
    assert len(set(places)) == 1
