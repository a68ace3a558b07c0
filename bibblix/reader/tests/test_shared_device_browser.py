"""A returned book leaves the device at once, and a shared device keeps nothing of the last
child: offline books, positions and settings are per child and cleared at logout."""

import pytest

from .browser_helpers import log_in, open_reader, wait_past, wait_until, wait_until_async
from .conftest import return_loan
from .test_offline_browser import OFFLINE_BOOKS, open_and_save_offline

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHILD_KEYS = "() => Object.keys(localStorage).filter(key => key.startsWith('bibblix:'))"


def wait_for_no_offline_books(page, timeout: float = 10_000) -> None:
    wait_until_async(page, f"async () => !(await ({OFFLINE_BOOKS})()).length", timeout=timeout)


@pytest.fixture(params=["phone", "tablet"])
def device(request):
    return request.getfixturevalue(request.param)


@pytest.fixture
def second_child(ale_library):
    from bibblix.patrons.services import patron_for_card

    return patron_for_card(ale_library, "20000002")


def test_book_returned_on_my_books_leaves_the_device_at_once(device, live_server, loan, patron_ale):
    open_and_save_offline(device, live_server, patron_ale, loan.book_id)
    device.goto("/my/")
    device.locator("summary", has_text="Lämna tillbaka").click()  # Mina böcker asks once
    device.get_by_role("button", name="Ja, lämna tillbaka").click()
    wait_until(device, "() => location.pathname === '/my/'")
    # No visit to the reader page: the copy goes at once.
    wait_for_no_offline_books(device)
    device.context.set_offline(True)
    assert device.goto(f"/read/{loan.book_id}/").status == 503


def test_book_returned_elsewhere_leaves_the_device_on_any_page(
    phone, live_server, loan, patron_ale
):
    """Returned through the API, on another device, or ended by expiry: any online page will do."""
    open_and_save_offline(phone, live_server, patron_ale, loan.book_id)
    return_loan(loan)
    phone.goto("/books/")
    wait_for_no_offline_books(phone)
    phone.context.set_offline(True)
    assert phone.goto(f"/read/{loan.book_id}/").status == 503


def test_next_child_on_the_device_does_not_get_the_last_childs_place(
    device, live_server, book, make_loan, patron_ale, second_child
):
    from bibblix.lending.models import ReadingProgress

    make_loan(patron_ale, book)
    log_in(device.context, live_server, patron_ale)
    open_reader(device, book.pk)
    for _ in range(3):
        before = float(device.evaluate("() => document.documentElement.dataset.readerFraction"))
        device.get_by_role("button", name="Nästa sida").click()
        wait_past(device, before)
    device.evaluate("() => window.bibblixReader.flushSave()")
    place = float(device.evaluate("() => document.documentElement.dataset.readerFraction"))
    assert device.evaluate(CHILD_KEYS)
    device.get_by_role("link", name="Stäng").click()
    device.get_by_role("button", name="Logga ut").click()
    wait_until(device, "() => location.pathname === '/'")
    assert device.evaluate(CHILD_KEYS) == []
    assert device.evaluate(OFFLINE_BOOKS) == []

    make_loan(second_child, book)
    log_in(device.context, live_server, second_child)
    open_reader(device, book.pk)
    opened_at = float(device.evaluate("() => document.documentElement.dataset.readerFraction"))
    assert opened_at < place
    assert device.locator("#welcome-back").is_hidden()
    device.evaluate("() => window.bibblixReader.flushSave()")
    device.goto("/my/")
    progress = ReadingProgress.objects.filter(patron=second_child).first()
    assert progress is None or progress.percentage < place


def test_another_childs_offline_book_is_never_served(
    phone, live_server, loan, patron_ale, second_child, make_loan
):
    """Child 1's session ran out without a logout; child 2 logs in on the same phone (and has
    borrowed the same book): child 1's stored copy and pages are gone."""
    open_and_save_offline(phone, live_server, patron_ale, loan.book_id)
    make_loan(second_child, loan.book)
    phone.context.clear_cookies()
    log_in(phone.context, live_server, second_child)
    phone.goto("/my/")
    wait_for_no_offline_books(phone)
    phone.context.set_offline(True)
    assert phone.goto(f"/read/{loan.book_id}/").status == 503
