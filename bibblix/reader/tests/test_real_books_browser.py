"""The sample books from ../shared: a fixed-layout picture book and a book with recorded
narration (EPUB Media Overlays)."""

import pytest

from .browser_helpers import log_in, open_reader, shown_pages, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.shared, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=["phone", "tablet"])
def device(request):
    return request.getfixturevalue(request.param)


def test_picture_book_shows_whole_pages_and_zooms(
    device, live_server, lend_sample_book, patron_ale
):
    book = lend_sample_book(
        patron_ale, "sample_cole-voyage-of-life_fxl.epub", "The Voyage of Life", layout="fixed"
    )
    log_in(device.context, live_server, patron_ale)
    open_reader(device, book.pk)
    assert device.locator("#reader").get_attribute("data-layout") == "fixed"
    assert device.evaluate("() => window.bibblixReader.view.renderer.localName") == "foliate-fxl"
    label = device.locator("#progress-label").inner_text()
    device.get_by_role("button", name="Nästa sida").click()
    wait_until(device, "l => document.getElementById('progress-label').textContent !== l", label)
    # Page 2 is the left page of a spread; held upright, phone and tablet show it alone, and the
    # label names it (foliate-js itself reports the spread's right page, 3).
    assert shown_pages(device) == [2]
    assert "Sida 2 av 10" in device.locator("#progress-label").inner_text()
    device.screenshot(path=f"/tmp/fxl-{device.viewport_size['width']}.png")
    # Zoom: the picture gets bigger than "whole page", and back.
    scale = "() => window.bibblixReader.view.renderer.getAttribute('zoom')"
    device.get_by_role("button", name="Text och färger").click()
    device.get_by_role("button", name="Zooma in").click()
    assert float(device.evaluate(scale)) > 0
    device.get_by_role("button", name="Hela sidan").click()
    assert device.evaluate(scale) == "fit-page"


def test_recorded_narration_plays_with_highlight(phone, live_server, lend_sample_book, patron_ale):
    book = lend_sample_book(
        patron_ale, "sample_mol-navigation_mo.epub", "Media overlays", has_media_overlays=True
    )
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


# Watches the narration's <audio> elements (foliate-js creates them with `new Audio(url)`)
# without changing them, so a test can see the recording's clock run and stop.
WATCH_AUDIO = """
(() => {
    const NativeAudio = window.Audio
    window.__audios = []
    window.Audio = function Audio(...args) {
        const audio = new NativeAudio(...args)
        window.__audios.push(audio)
        return audio
    }
    window.Audio.prototype = NativeAudio.prototype
})()
"""

# The id of the highlighted element and whether its page is the one on screen (a picture book's
# pages live in separate frames; the one shown is the visible frame).
NARRATED = """() => {
    const cls = window.bibblixReader.view.book.media.activeClass
    for (const { doc } of window.bibblixReader.view.renderer.getContents()) {
        const el = doc.querySelector('.' + CSS.escape(cls))
        if (el) return { id: el.id, shown: doc.defaultView.frameElement.checkVisibility() }
    }
    return null
}"""
AUDIO_TIME = "() => window.__audios.at(-1)?.currentTime ?? 0"
LABEL = "() => document.getElementById('progress-label').textContent"


def test_picture_book_narration_highlights_and_turns_pages(
    device, live_server, lend_sample_book, patron_ale
):
    book = lend_sample_book(
        patron_ale,
        "sample_mol-timing-synchronization-fxl_mo.epub",
        "Media overlays in a picture book",
        has_media_overlays=True,
        layout="fixed",
    )
    device.context.add_init_script(WATCH_AUDIO)
    log_in(device.context, live_server, patron_ale)
    open_reader(device, book.pk)
    assert device.evaluate("() => window.bibblixReader.view.renderer.localName") == "foliate-fxl"
    device.get_by_role("button", name="Läs högt").click()
    assert device.get_by_text("En inspelad röst läser boken.").is_visible()
    device.get_by_role("button", name="Spela / pausa").click()

    # The first page's text is narrated: highlighted on the page shown, the recording running.
    wait_until(device, f"() => ({NARRATED})()?.id === 'first'", timeout=15_000)
    assert device.evaluate(NARRATED)["shown"]
    wait_until(device, f"t => ({LABEL})().includes(t)", "Sida 2 av 4")
    start = device.evaluate(AUDIO_TIME)
    wait_until(device, f"t => ({AUDIO_TIME})() > t + 0.5", start)

    # At the end of a page's text the narration goes on to the next page and turns to it: page 2
    # shares a spread with page 1 (one of them shown in portrait), page 3 starts a new spread.
    # Jump close to the end of each clip rather than listening to all of it.
    device.evaluate("() => { window.__audios.at(-1).currentTime = 44.3 }")  # page 1 ends at 44.783
    wait_until(device, f"() => ({NARRATED})()?.id === 'second'", timeout=5_000)
    assert device.evaluate(NARRATED)["shown"]
    # foliate-js shows the other half of the spread without a relocate; the label follows.
    wait_until(device, f"t => ({LABEL})().includes(t)", "Sida 3 av 4")
    assert shown_pages(device) == [3]
    assert device.evaluate("() => window.bibblixReader.location.section.current") == 2
    label = device.locator("#progress-label").inner_text()
    device.evaluate("() => { window.__audios.at(-1).currentTime = 50.0 }")  # page 2 ends at 50.45
    wait_until(device, f"() => ({NARRATED})()?.id === 'third'", timeout=5_000)
    assert device.evaluate(NARRATED)["shown"]
    wait_until(device, "l => document.getElementById('progress-label').textContent !== l", label)
    assert "Sida 4 av 4" in device.locator("#progress-label").inner_text()

    # Pause stops the recording where it is; play goes on from there.
    device.get_by_role("button", name="Spela / pausa").click()
    assert device.locator("#aloud-play").get_attribute("data-state") == "paused"
    assert device.evaluate("() => window.__audios.at(-1).paused")
    paused_at = device.evaluate(AUDIO_TIME)
    device.get_by_role("button", name="Spela / pausa").click()
    wait_until(device, f"t => ({AUDIO_TIME})() > t + 0.3", paused_at)
    assert paused_at > 50
