"""What a child sees of lending on the book page, on Mina böcker and in "Fortsätt läsa"."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bibblix.lending import services

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


@time_machine.travel(NOW, tick=False)
def test_when_all_copies_are_out_the_page_says_so_and_when_one_is_back(
    child, ale, make_patron, make_book
):
    book = make_book("Populär", copies=1)
    other = make_patron(ale)
    services.borrow(other, book.pk)  # due 28 days on: 30 March
    page = child.get(f"/books/{book.pk}/").content.decode()
    assert "Alla exemplar är utlånade" in page
    assert "senast 30 mars" in page
    assert "Ställ dig i kö (plats 1)" in page
    assert page.index("Alla exemplar är utlånade") < page.index("Ställ dig i kö")


def test_a_free_book_offers_a_logged_in_child_borrowing_not_reading_without_a_card(
    client, child, make_book
):
    book = make_book("Gratisboken", is_free_to_try=True)
    mine = child.get(f"/books/{book.pk}/").content.decode()
    assert "Låna" in mine and "Läs nu, utan lånekort" not in mine
    visitor = client.__class__().get(f"/books/{book.pk}/").content.decode()
    assert "Läs nu, utan lånekort" in visitor


@time_machine.travel(NOW, tick=False)
def test_my_books_shows_cover_progress_and_asks_once_before_returning(child, make_book):
    book = make_book("Omslagsboken", cover="covers/omslag.png")
    loan, _ = services.borrow(child.patron, book.pk)
    services.record_progress(child.patron, book.pk, locator="epubcfi(/6/4)", percentage=0.4)
    page = child.get("/my/").content.decode()
    assert "/media/covers/omslag.png" in page
    assert 'value="40"' in page and "40 % läst" in page
    assert "28 dagar kvar" in page
    # "Lämna tillbaka" opens a question; the form that returns is inside it.
    question = page[page.index('<details class="return-box">') :]
    assert question.index("Lämna tillbaka") < question.index(f"/my/loans/{loan.pk}/return/")
    assert "Ja, lämna tillbaka" in question


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("url", ["/", "/my/"])
def test_continue_reading_and_my_books_cost_the_same_queries_for_more_loans(
    child, make_book, url, settings
):
    settings.PAGE_CACHE = False  # the queries of building the page (kept: test_my_books_cache)

    def borrow(count, start):
        for number in range(start, start + count):
            book = make_book(f"Lånebok {number}")
            services.borrow(child.patron, book.pk)
            services.record_progress(child.patron, book.pk, locator="x", percentage=0.5)

    borrow(1, 0)
    _queries(child, url)  # fills the caches (connected municipalities) a first visit fills
    few = _queries(child, url)
    borrow(4, 1)
    assert _queries(child, url) == few


@time_machine.travel(NOW, tick=False)
def test_home_shows_continue_reading_with_progress_for_a_child_with_loans(client, child, make_book):
    book = make_book("Påbörjad bok")
    services.borrow(child.patron, book.pk)
    services.record_progress(child.patron, book.pk, locator="x", percentage=0.25)
    page = child.get("/").content.decode()
    assert "Fortsätt läsa" in page and "Påbörjad bok" in page and "25 % läst" in page
    assert f'href="/read/{book.pk}/"' in page
    assert "Fortsätt läsa" not in client.__class__().get("/").content.decode()
