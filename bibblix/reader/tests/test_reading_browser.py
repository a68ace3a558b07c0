"""A child opens a borrowed book on a phone or a tablet, turns pages and changes the text."""

import pytest

from .browser_helpers import (
    compare_location,
    fraction,
    location,
    log_in,
    open_reader,
    turn_page,
    turns_done,
    wait_before,
    wait_for_turns,
    wait_past,
    wait_until,
)
from .conftest import epub_with_script

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=["phone", "tablet"])
def device(request):
    return request.getfixturevalue(request.param)


def test_child_turns_pages_with_buttons_keys_taps_and_swipes(device, live_server, loan, patron_ale):
    """Each turn is awaited through the reader's count of ended turns and its direction checked
    on the text shown (CFI order): a fraction also moves when the page is laid out again."""
    log_in(device.context, live_server, patron_ale)
    open_reader(device, loan.book_id)
    start = location(device)

    turn_page(device, device.get_by_role("button", name="Nästa sida").click)
    assert compare_location(device, start) > 0
    after_button = location(device)

    turn_page(device, lambda: device.keyboard.press("ArrowRight"))
    assert compare_location(device, after_button) > 0
    after_key = location(device)

    # A tap on the right edge of the page turns forward. Its click reaches the page after
    # tap() has returned: turn_page waits for the turn it causes.
    box = device.locator("foliate-view").bounding_box()
    turn_page(
        device,
        lambda: device.touchscreen.tap(box["x"] + box["width"] - 10, box["y"] + box["height"] / 2),
    )
    assert compare_location(device, after_key) > 0
    after_tap = location(device)

    turn_page(device, lambda: device.keyboard.press("ArrowLeft"))
    assert compare_location(device, after_tap) < 0
    assert turns_done(device) == 4


def test_a_key_pressed_while_the_book_opens_turns_the_page_once_it_is_open(
    tablet, live_server, loan, patron_ale
):
    """A child presses → before the first page is shown. foliate-js's paginator was busy with
    the reader's own first turn and ignored it (or, earlier, loaded the first chapter beside
    it); the reader now keeps the turn until the book is open."""
    held = []
    # The reader asks for the saved place before it shows the first page: hold that answer
    # (only the first request; the place saved later goes to the server).
    tablet.context.route(
        "**/api/v1/progress/*", lambda route: route.fallback() if held else held.append(route)
    )
    log_in(tablet.context, live_server, patron_ale)
    tablet.goto(f"/read/{loan.book_id}/")
    wait_until(tablet, "() => !!window.bibblixReader.view?.renderer")
    tablet.wait_for_timeout(50)  # let a request reach the route; the next line checks it
    assert held, "the reader did not ask for the saved place"
    assert not tablet.evaluate("() => document.documentElement.dataset.readerReady")
    tablet.keyboard.press("ArrowRight")
    held[0].fulfill(status=404, json={"detail": "Ingen läsposition"})
    tablet.wait_for_selector("html[data-reader-ready='true']", state="attached")
    wait_for_turns(tablet, 1)
    assert tablet.evaluate("() => window.bibblixReader.view.renderer.page") == 2


HOLD_BACK_SECOND_CHAPTER = """async () => {
    const view = window.bibblixReader.view
    await view.renderer.goTo({ index: 0, anchor: 1 })
    const section = view.book.sections[1]
    const load = section.load.bind(section)
    const held = new Promise(resolve => { window.releaseSecondChapter = resolve })
    section.load = async () => { await held; return load() }
}"""


def test_a_tap_while_the_next_chapter_loads_does_not_stop_page_turns(
    phone, live_server, loan, patron_ale
):
    """On a slow tablet the child turns into the next chapter and taps the page before it has
    loaded. The tap must not load that chapter a second time (foliate-js's snap at the end of a
    touch did), and the page still turns back afterwards."""
    log_in(phone.context, live_server, patron_ale)
    open_reader(phone, loan.book_id)
    # The last page of the first chapter; the second chapter loads only when the test says so.
    phone.evaluate(HOLD_BACK_SECOND_CHAPTER)
    end_of_first = fraction(phone)

    phone.keyboard.press("ArrowRight")
    wait_until(phone, "() => document.documentElement.dataset.readerTurning === 'true'")
    box = phone.locator("foliate-view").bounding_box()
    phone.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    # Two frames: the paginator handles the end of the touch in the next one.
    phone.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    phone.evaluate("() => window.releaseSecondChapter()")
    wait_past(phone, end_of_first)
    second_chapter = fraction(phone)
    assert phone.evaluate("() => window.bibblixReader.view.lastLocation.section.current") == 1

    phone.keyboard.press("ArrowLeft")
    wait_before(phone, second_chapter)
    assert phone.evaluate("() => window.bibblixReader.view.lastLocation.section.current") == 0


def test_swipe_turns_the_page(phone, live_server, loan, patron_ale):
    log_in(phone.context, live_server, patron_ale)
    open_reader(phone, loan.book_id)
    start = fraction(phone)
    box = phone.locator("foliate-view").bounding_box()
    y = box["y"] + box["height"] / 2
    # Playwright has no swipe: send the touch events foliate-js's paginator listens to.
    phone.evaluate(
        """async ([x0, x1, y]) => {
            const view = window.bibblixReader.view
            const doc = view.renderer.getContents()[0].doc
            const target = doc.body
            const touch = x => new Touch({ identifier: 1, target, clientX: x, clientY: y, screenX: x, screenY: y })
            const fire = (type, x) => target.dispatchEvent(new TouchEvent(type, {
                touches: type === 'touchend' ? [] : [touch(x)],
                changedTouches: [touch(x)], bubbles: true, cancelable: true }))
            fire('touchstart', x0)
            for (let i = 1; i <= 10; i++) {
                await new Promise(r => setTimeout(r, 16))
                fire('touchmove', x0 + (x1 - x0) * i / 10)
            }
            fire('touchend', x1)
        }""",
        [box["width"] * 0.8, box["width"] * 0.1, y - box["y"]],
    )
    wait_past(phone, start)


def test_child_makes_the_text_bigger(device, live_server, loan, patron_ale):
    log_in(device.context, live_server, patron_ale)
    open_reader(device, loan.book_id)
    size = "() => getComputedStyle(window.bibblixReader.view.renderer.getContents()[0].doc.documentElement).fontSize"
    before = float(device.evaluate(size).removesuffix("px"))
    device.get_by_role("button", name="Text och färger").click()
    device.get_by_role("button", name="Större text").click()
    device.get_by_role("button", name="Större text").click()
    wait_until(device, f"b => parseFloat(({size})()) > b", before)
    assert device.locator("#font-size-value").inner_text() == "150 %"
    device.get_by_text("Dyslexivänligt typsnitt").click()
    device.get_by_text("Mörkt").click()
    family = "() => getComputedStyle(window.bibblixReader.view.renderer.getContents()[0].doc.querySelector('p')).fontFamily"
    wait_until(device, f"() => ({family})().includes('OpenDyslexic')")
    assert device.locator("#reader").get_attribute("data-theme") == "dark"


def test_reader_chrome_has_contents_and_announces_pages(phone, live_server, loan, patron_ale):
    log_in(phone.context, live_server, patron_ale)
    open_reader(phone, loan.book_id)
    phone.get_by_role("button", name="Innehåll").click()
    phone.get_by_role("button", name="Kapitel 3").click()
    wait_past(phone, 0.6)
    assert phone.locator("#announcer").get_attribute("aria-live") == "polite"
    wait_until(phone, "() => document.getElementById('announcer').textContent.includes('läst')")


def test_scripts_inside_a_book_never_run(phone, live_server, make_book, make_loan, patron_ale):
    book = make_book("Skriptboken", data=epub_with_script())
    make_loan(patron_ale, book)
    violations = []
    phone.on("console", lambda message: violations.append(message.text))
    log_in(phone.context, live_server, patron_ale)
    open_reader(phone, book.pk)
    frame_title = phone.evaluate(
        "() => window.bibblixReader.view.renderer.getContents()[0].doc.title"
    )
    assert frame_title != "hacked"
    assert phone.evaluate("() => window.bookScriptRan === undefined")
    assert any("Content Security Policy" in text for text in violations)
