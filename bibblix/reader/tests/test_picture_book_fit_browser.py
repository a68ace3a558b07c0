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


# The visible page's document: where its last paragraph is and how big its page is on screen.
LAST_PARAGRAPH = """() => {
    const frame = window.bibblixReader.view.renderer.getContents()
        .map(({ doc }) => doc.defaultView.frameElement)
        .find(frame => frame.checkVisibility())
    const doc = frame.contentDocument
    const last = [...doc.querySelectorAll('p')].at(-1).getBoundingClientRect()
    const box = frame.getBoundingClientRect()
    const scale = box.width / frame.offsetWidth
    return { top: last.top, bottom: last.bottom, page: doc.documentElement.clientHeight,
             fontPx: parseFloat(getComputedStyle(doc.querySelector('p')).fontSize) * scale,
             centre: [box.left + box.width / 2, box.top + box.height / 2] }
}"""


@pytest.mark.parametrize(
    "size", [(360, 640), (390, 844), (412, 915), (844, 390)], ids=lambda s: f"{s[0]}x{s[1]}"
)
def test_text_page_of_a_picture_book_is_not_cut_off_on_a_phone(
    browser, live_server, lend_sample_book, patron_ale, close_browser_context, size
):
    """The Voyage of Life opens on a text page (reflowable in the EPUB, shown in the
    librarian's fixed layout): foliate-js sized it by its portrait picture (243×268), so on a
    phone only the title and a line or two showed and the rest was cut off at the bottom. The
    page now fills the space between the toolbars and its text scrolls, at a readable size."""
    from conftest import PHONE

    width, height = size
    context = browser.new_context(
        base_url=live_server.url,
        locale="sv-SE",
        **{**PHONE, "viewport": {"width": width, "height": height}},
    )
    try:
        page = context.new_page()
        book = lend_sample_book(
            patron_ale, "sample_cole-voyage-of-life_fxl.epub", "The Voyage of Life", layout="fixed"
        )
        log_in(context, live_server, patron_ale)
        open_reader(page, book.pk)
        wait_until(page, f"() => ({LABEL})().includes('Sida 1 av 10')")
        boxes = page.evaluate(BOXES)
        assert boxes["stage"][0] - 1 <= boxes["page"][0], boxes
        assert boxes["page"][1] <= boxes["stage"][1] + 1, boxes
        before = page.evaluate(LAST_PARAGRAPH)
        assert before["fontPx"] >= 12, before  # not shrunk to fit: still readable
        # The child scrolls the page's text (a wheel here; a finger on a phone).
        x, y = before["centre"]
        page.mouse.move(x, y)
        for _ in range(30):
            page.mouse.wheel(0, 400)
        wait_until(page, f"() => ({LAST_PARAGRAPH})().bottom <= ({LAST_PARAGRAPH})().page + 1")
        after = page.evaluate(LAST_PARAGRAPH)
        assert after["top"] < after["page"] and after["bottom"] > 0, after  # on the page
    finally:
        close_browser_context(context)
