"""The reader's chrome: bookmarks, 200 % text size, and accessibility (axe-core)."""

import json

import pytest

from .browser_helpers import log_in, open_reader, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bookmark_is_saved_with_the_current_place(phone, live_server, loan, patron_ale):
    saved = []

    def bookmarks(route, request):
        if request.method == "POST":
            saved.append(json.loads(request.post_data))
            return route.fulfill(
                status=201, json={"id": 1, "created_at": "2026-01-01T12:00:00Z", **saved[-1]}
            )
        return route.fulfill(status=200, json=[{"id": 1, **s} for s in saved])

    phone.context.route("**/api/v1/bookmarks*", bookmarks)
    log_in(phone.context, live_server, patron_ale)
    open_reader(phone, loan.book_id)
    phone.keyboard.press("ArrowRight")
    wait_until(phone, "() => !document.documentElement.dataset.readerTurning")
    cfi = phone.evaluate("() => window.bibblixReader.view.lastLocation.cfi")
    phone.get_by_role("button", name="Bokmärke").click()
    wait_until(
        phone, "() => document.getElementById('reader-status').textContent.includes('Bokmärket')"
    )
    assert saved == [{"book": loan.book_id, "locator": cfi, "label": saved[0]["label"]}]
    assert saved[0]["label"].startswith("Kapitel 1")
    phone.get_by_role("button", name="Innehåll").click()
    assert phone.get_by_role("heading", name="Bokmärken").is_visible()


def test_on_a_phone_the_page_is_for_the_book(phone, live_server, loan, patron_ale):
    """Full screen: no site menu (its "Stäng" leads back to the book); the book gets most of
    the screen."""
    log_in(phone.context, live_server, patron_ale)
    open_reader(phone, loan.book_id)
    assert not phone.get_by_role("button", name="Logga ut").is_visible()
    assert not phone.locator(".site-header").is_visible()
    assert phone.get_by_role("link", name="Stäng").is_visible()
    stage = phone.locator(".book-stage").bounding_box()
    assert stage["height"] >= 0.6 * 844


def test_reader_works_at_double_text_size(phone, live_server, loan, patron_ale):
    log_in(phone.context, live_server, patron_ale)
    open_reader(phone, loan.book_id)
    phone.evaluate("() => { document.documentElement.style.fontSize = '200%' }")
    assert phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    menu = phone.get_by_role("button", name="Meny")
    for name in ("Nästa sida", "Föregående sida", "Innehåll", "Text och färger", "Läs högt"):
        if menu.is_visible() and not phone.get_by_role("button", name=name).is_visible():
            menu.click()
        button = phone.get_by_role("button", name=name)
        box = button.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, name
        assert box["x"] >= 0 and box["x"] + box["width"] <= 391, name
        phone.keyboard.press("Escape")
    if menu.is_visible():
        menu.click()
    phone.get_by_role("button", name="Text och färger").click()
    phone.get_by_role("button", name="Större text").click()
    assert phone.locator("#font-size-value").inner_text() == "125 %"


def test_reader_chrome_has_no_axe_violations(tablet, live_server, loan, patron_ale):
    log_in(tablet.context, live_server, patron_ale)
    open_reader(tablet, loan.book_id)
    tablet.get_by_role("button", name="Text och färger").click()
    # axe-core is served from our own origin, which the reader's CSP allows.
    tablet.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    result = tablet.evaluate(
        """async () => {
            const r = await axe.run({ include: ['#reader'], exclude: [['foliate-view']] },
                { runOnly: ['wcag2a', 'wcag2aa'] })
            return r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))
        }"""
    )
    assert result == []
