"""Offline reading: a borrowed book stays on the device until the loan ends or the child logs out."""

import pytest

from .browser_helpers import log_in, open_reader, wait_until, wait_until_async
from .conftest import return_loan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFLINE_BOOKS = """async () => {
    const cache = await caches.open('bibblix-books-meta')
    return (await cache.keys()).map(r => new URL(r.url).pathname)
}"""


def open_and_save_offline(page, live_server, patron, book_id):
    log_in(page.context, live_server, patron)
    open_reader(page, book_id)
    page.wait_for_selector("html[data-reader-offline='saved']", state="attached", timeout=20_000)
    assert f"/read/{book_id}/offline-meta" in page.evaluate(OFFLINE_BOOKS)


@pytest.fixture(params=["phone", "tablet"])
def device(request):
    return request.getfixturevalue(request.param)


def test_child_reads_on_after_going_offline(device, live_server, loan, patron_ale):
    open_and_save_offline(device, live_server, patron_ale, loan.book_id)
    device.context.set_offline(True)
    device.reload()
    device.wait_for_selector("html[data-reader-ready='true']", state="attached", timeout=15_000)
    assert "Du är offline" in device.locator("#reader-status").inner_text()
    text = device.evaluate(
        "() => window.bibblixReader.view.renderer.getContents()[0].doc.body.textContent"
    )
    assert "tisdag" in text
    # Turning pages works offline too.
    device.get_by_role("button", name="Nästa sida").click()
    wait_until(device, "() => Number(document.documentElement.dataset.readerFraction) > 0")


def test_returned_book_disappears_from_the_device(phone, live_server, loan, patron_ale):
    open_and_save_offline(phone, live_server, patron_ale, loan.book_id)
    return_loan(loan)
    phone.reload()
    # The server refuses and sends the child to the book page; the worker forgets the book.
    wait_until(phone, "() => location.pathname.startsWith('/books/')")
    wait_until_async(phone, f"async () => !(await ({OFFLINE_BOOKS})()).length")
    phone.context.set_offline(True)
    response = phone.goto(f"/read/{loan.book_id}/")
    assert response.status == 503
    assert "Du är offline" in phone.content()


def test_loan_ending_while_reading_closes_the_book(phone, live_server, loan, patron_ale):
    open_and_save_offline(phone, live_server, patron_ale, loan.book_id)
    return_loan(loan)
    # The page renews its signed links every few minutes; do it now instead of waiting.
    phone.evaluate(
        "async () => { const r = await fetch(window.bibblixReader.config.accessUrl); return r.status }"
    )
    phone.evaluate("() => fetch(window.bibblixReader.config.epubUrl)")
    wait_until_async(phone, f"async () => !(await ({OFFLINE_BOOKS})()).length")


def test_logging_out_removes_offline_books(phone, live_server, loan, patron_ale):
    open_and_save_offline(phone, live_server, patron_ale, loan.book_id)
    # The reader is full screen: "Stäng" leads to the book page, whose menu has "Logga ut".
    phone.get_by_role("link", name="Stäng").click()
    phone.get_by_role("button", name="Logga ut").click()
    wait_until(phone, "() => location.pathname === '/'")
    assert phone.evaluate(OFFLINE_BOOKS) == []
    phone.context.set_offline(True)
    assert phone.goto(f"/read/{loan.book_id}/").status == 503


def test_logging_out_from_another_page_removes_offline_books(phone, live_server, loan, patron_ale):
    """The header's "Logga ut" on Mina böcker purges too (base.html includes logout-purge.js)."""
    open_and_save_offline(phone, live_server, patron_ale, loan.book_id)
    phone.goto("/my/")
    phone.get_by_role("button", name="Logga ut").click()
    wait_until(phone, "() => location.pathname === '/'")
    assert phone.evaluate(OFFLINE_BOOKS) == []


def test_book_is_removed_when_the_loans_list_no_longer_has_it(phone, live_server, loan, patron_ale):
    open_and_save_offline(phone, live_server, patron_ale, loan.book_id)
    listed = [{"id": loan.pk, "book": loan.book_id, "title": "x", "days_left": 27}]
    phone.context.route("**/api/v1/loans", lambda route: route.fulfill(status=200, json=listed))
    phone.evaluate("() => window.bibblixReader.syncLoans()")
    assert phone.evaluate(OFFLINE_BOOKS) == [f"/read/{loan.book_id}/offline-meta"]
    phone.context.unroute("**/api/v1/loans")
    phone.context.route("**/api/v1/loans", lambda route: route.fulfill(status=200, json=[]))
    phone.evaluate("() => window.bibblixReader.syncLoans()")
    assert phone.evaluate(OFFLINE_BOOKS) == []


def test_offline_copy_is_not_used_after_the_due_date(phone, live_server, loan, patron_ale):
    open_and_save_offline(phone, live_server, patron_ale, loan.book_id)
    # The device's clock passes the due date: rewrite the stored due date instead of waiting.
    phone.evaluate(
        """async id => {
            const cache = await caches.open('bibblix-books-meta')
            const key = `/read/${id}/offline-meta`
            const meta = await (await cache.match(key)).json()
            await cache.put(key, new Response(JSON.stringify({ ...meta, dueAt: '2020-01-01T00:00:00Z' })))
        }""",
        loan.book_id,
    )
    phone.context.set_offline(True)
    assert phone.goto(f"/read/{loan.book_id}/").status == 503
    assert phone.evaluate(OFFLINE_BOOKS) == []
