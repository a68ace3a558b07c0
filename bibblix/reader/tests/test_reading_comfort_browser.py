"""Reading comfort: the reader's default text size and line length by the book's age band and
the screen (measured in the page, not read from the settings)."""

import pytest

from .browser_helpers import log_in, open_reader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The first long paragraph on screen: its font size, line height, the characters of its first
# full line (where the line box of its text moves down) and the font used.
MEASURE = """async () => {
    const view = window.bibblixReader.view
    const doc = view.renderer.getContents()[0].doc
    await doc.fonts.ready
    const p = [...doc.querySelectorAll('p')].find(p => p.textContent.length > 120)
    const text = p.firstChild
    const range = doc.createRange()
    const topOf = i => { range.setStart(text, i); range.setEnd(text, i + 1)
                         return Math.round(range.getBoundingClientRect().top) }
    const first = topOf(0)
    let line = 0
    while (line < text.length - 1 && topOf(line + 1) === first) line++
    const style = doc.defaultView.getComputedStyle(p)
    return { fontPx: parseFloat(style.fontSize), lineHeight: parseFloat(style.lineHeight),
             perLine: line + 1, family: style.fontFamily,
             columns: view.renderer.columnCount }
}"""


@pytest.fixture(params=["phone", "tablet"])
def device(request):
    return request.getfixturevalue(request.param)


def measure(device, live_server, patron, book_id) -> dict:
    open_reader(device, book_id)
    return device.evaluate(MEASURE)


def test_default_text_suits_the_age_band_and_the_screen(
    device, live_server, make_book, make_loan, patron_ale
):
    easy = make_book("Lätt att läsa", number=3, age_min=6, age_max=9, is_easy_to_read=True)
    older = make_book("För mellanåldern", number=4, age_min=9, age_max=12)
    make_loan(patron_ale, easy)
    make_loan(patron_ale, older)
    log_in(device.context, live_server, patron_ale)
    young = measure(device, live_server, patron_ale, easy.pk)
    old = measure(device, live_server, patron_ale, older.pk)
    tablet = device.viewport_size["width"] >= 600
    print(device.viewport_size, young, old)
    for shown in (young, old):
        assert 20 <= shown["fontPx"] <= 24, shown
        assert "Atkinson Hyperlegible" in shown["family"], shown
        assert shown["columns"] == 1, shown  # upright: one column of comfortable lines
        if tablet:
            assert 45 <= shown["perLine"] <= 65, shown
        else:  # a phone is narrower than 45 characters at 20 px; never crowded
            assert 25 <= shown["perLine"] <= 45, shown
    assert young["fontPx"] > old["fontPx"]
    assert young["lineHeight"] / young["fontPx"] > old["lineHeight"] / old["fontPx"]
