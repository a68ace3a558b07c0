"""Picture books on a phone and a tablet: the whole title page is on screen, and the share read
follows the page number (page 1 of 10 is 10 %, not 25 %)."""

import pytest

from .browser_helpers import log_in, open_reader, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.shared, pytest.mark.django_db(transaction=True)]

LABEL = "() => document.getElementById('progress-label').textContent"
# The visible page frame's box on screen (the renderer scales it with a transform) and the
# stage the book has between the toolbar and the progress bar.
BOXES = """() => {
    const stage = document.getElementById('book-stage').getBoundingClientRect()
    const frames = window.bibblixReader.view.renderer.getContents()
        .map(({ doc }) => doc.defaultView.frameElement)
        .filter(frame => frame.checkVisibility())
    const page = frames[0].getBoundingClientRect()
    const bar = document.querySelector('.reader-progress').getBoundingClientRect()
    return { stage: [stage.top, stage.bottom], page: [page.top, page.bottom], bar: bar.top,
             viewport: innerHeight }
}"""


@pytest.fixture(params=["phone", "tablet"])
def device(request):
    return request.getfixturevalue(request.param)


def test_picture_book_title_page_fits_and_percent_follows_the_page(
    device, live_server, lend_sample_book, patron_ale
):
    book = lend_sample_book(
        patron_ale, "sample_cole-voyage-of-life_fxl.epub", "The Voyage of Life", layout="fixed"
    )
    log_in(device.context, live_server, patron_ale)
    open_reader(device, book.pk)
    wait_until(device, f"() => ({LABEL})().includes('Sida 1 av 10')")
    boxes = device.evaluate(BOXES)
    top, bottom = boxes["page"]
    assert top >= boxes["stage"][0] - 1, boxes
    assert bottom <= boxes["stage"][1] + 1 and bottom <= boxes["bar"] + 1, boxes
    assert bottom <= boxes["viewport"], boxes
    assert "10 %" in device.evaluate(LABEL)
    device.get_by_role("button", name="Nästa sida").click()
    wait_until(device, f"() => ({LABEL})().includes('Sida 2 av 10')")
    assert "20 %" in device.evaluate(LABEL)
