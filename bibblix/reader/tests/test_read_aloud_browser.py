"""Read-aloud with the Web Speech API. Headless Chromium has no voices, so speechSynthesis is
replaced by a recording stand-in that "speaks" each sentence for a short while."""

import pytest

from .browser_helpers import log_in, open_reader, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAKE_SPEECH = """
(() => {
    const queue = []
    let current = null
    window.__spoken = []
    window.__cancels = 0
    class Utterance extends EventTarget {
        constructor(text) { super(); this.text = text; this.lang = ''; this.rate = 1; this.voice = null }
    }
    const next = () => {
        if (current || !queue.length) return
        current = queue.shift()
        window.__spoken.push({ text: current.text, lang: current.lang, rate: current.rate })
        current.dispatchEvent(new Event('start'))
        const u = current
        setTimeout(() => { if (current !== u) return; current = null; u.dispatchEvent(new Event('end')); next() }, 150)
    }
    const synth = {
        getVoices: () => [],
        speak(u) { queue.push(u); setTimeout(next, 0) },
        cancel() { queue.length = 0; current = null; window.__cancels++ },
        pause() {}, resume() {},
        addEventListener() {}, removeEventListener() {},
    }
    Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true })
    window.SpeechSynthesisUtterance = Utterance
})()
"""

SELECTED = "() => window.bibblixReader.view.renderer.getContents()[0].doc.getSelection().toString()"


def test_book_is_read_aloud_sentence_by_sentence_with_highlight(
    phone, live_server, loan, patron_ale
):
    phone.context.add_init_script(FAKE_SPEECH)
    log_in(phone.context, live_server, patron_ale)
    open_reader(phone, loan.book_id)
    phone.get_by_role("button", name="Läs högt").click()
    assert phone.get_by_text("Datorrösten läser boken.").is_visible()
    phone.get_by_role("button", name="Spela / pausa").click()
    wait_until(phone, "() => window.__spoken.length >= 3")
    spoken = phone.evaluate("() => window.__spoken")
    assert all(item["lang"] == "sv" for item in spoken)
    assert any("tisdag" in item["text"] for item in spoken)
    # The sentence being read is highlighted in the page.
    wait_until(phone, f"() => ({SELECTED})().trim().length > 0")
    highlighted = phone.evaluate(SELECTED).strip()
    assert any(
        highlighted and highlighted in item["text"]
        for item in phone.evaluate("() => window.__spoken")
    )
    assert phone.locator("#aloud-play").get_attribute("aria-pressed") == "true"

    phone.get_by_role("button", name="Spela / pausa").click()
    assert phone.locator("#aloud-play").get_attribute("data-state") == "paused"
    assert phone.evaluate("() => window.__cancels") >= 1
    count = phone.evaluate("() => window.__spoken.length")

    phone.locator("#aloud-rate").select_option("1.5")
    phone.get_by_role("button", name="Spela / pausa").click()
    wait_until(phone, "n => window.__spoken.length > n", count)
    assert phone.evaluate("() => window.__spoken.at(-1).rate") == 1.5


def test_read_aloud_is_offered_even_without_a_voice_list(phone, live_server, loan, patron_ale):
    log_in(phone.context, live_server, patron_ale)
    open_reader(phone, loan.book_id)
    phone.get_by_role("button", name="Läs högt").click()
    assert phone.get_by_role("button", name="Spela / pausa").is_enabled()
    assert phone.get_by_role("combobox", name="Hastighet").is_visible()
