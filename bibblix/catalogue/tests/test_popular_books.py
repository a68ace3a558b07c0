"""An empty search shows the books children borrow most, not only the librarians' tips."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from bibblix.catalogue.services import POPULAR_CACHE_KEY, popular_books
from bibblix.usage.services import Kind, most_borrowed_book_ids, record

from .builders import make_book

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cached_counts():
    cache.delete(POPULAR_CACHE_KEY)
    yield
    cache.delete(POPULAR_CACHE_KEY)


def borrow(book, times: int, days_ago: int = 1, kind=Kind.BORROWED) -> None:
    when = timezone.now() - datetime.timedelta(days=days_ago)
    for _ in range(times):
        record(kind, when=when, municipality_id=1, book=book)


def test_most_borrowed_first_counting_loans_from_the_queue_and_only_the_last_90_days():
    seldom, often, queued, long_ago = (make_book(t) for t in ("Sällan", "Ofta", "Kön", "Förr"))
    borrow(seldom, 1)
    borrow(often, 3)
    borrow(queued, 2, kind=Kind.HOLD_FULFILLED)
    borrow(long_ago, 9, days_ago=120)
    record(Kind.READ, municipality_id=1, book=long_ago, pages=40)  # reading is not borrowing
    assert most_borrowed_book_ids() == [often.pk, queued.pk, seldom.pk]
    assert [b.title for b in popular_books(limit=3)] == ["Ofta", "Kön", "Sällan"]


def test_books_children_may_not_see_are_left_out_and_tips_fill_the_row():
    gone = make_book("Indragen", is_withdrawn=True)
    read = make_book("Läst")
    tip = make_book("Veckans bok", is_featured=True)
    borrow(gone, 5)
    borrow(read, 1)
    assert [b.title for b in popular_books(limit=2)] == ["Läst", "Veckans bok"]
    assert tip.pk not in most_borrowed_book_ids()


def test_the_counts_are_cached_for_an_hour():
    first, second = make_book("Första"), make_book("Andra")
    borrow(first, 2)
    assert [b.title for b in popular_books(limit=1)] == ["Första"]
    borrow(second, 5)
    assert [b.title for b in popular_books(limit=1)] == ["Första"]  # the cached counts
    cache.delete(POPULAR_CACHE_KEY)  # an hour later
    assert [b.title for b in popular_books(limit=1)] == ["Andra"]


def test_an_empty_search_shows_the_most_borrowed_books(client):
    make_book("Veckans bok", is_featured=True)
    loved = make_book("Alla läser den här")
    borrow(loved, 4)
    page = client.get("/search/", {"q": "qqqqqqq"}).content.decode()
    assert "Populärt hos andra barn" in page
    assert page.index("Alla läser den här") < page.index("Veckans bok")
