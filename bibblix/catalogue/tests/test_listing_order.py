"""Lists of books show featured books first, then by title; a demo flag orders nothing."""

import pytest

from bibblix.catalogue import services
from bibblix.catalogue.models import Book
from bibblix.opds import selection

from .builders import make_book, make_theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def animals():
    theme = make_theme("djur", "Djur", "🐾")
    # A featured book that the demo made up, and a plain real one earlier in the alphabet.
    make_book("Örnen på berget", themes=[theme], is_featured=True, is_generated=True)
    make_book("Apan som kunde läsa", themes=[theme])
    make_book("Björnen sover", themes=[theme], is_featured=True)
    return theme


def test_featured_books_lead_every_list_whether_made_up_or_not(animals):
    expected = ["Björnen sover", "Örnen på berget", "Apan som kunde läsa"]
    assert [b.title for b in services.search("")] == expected
    assert [b.title for b in services.theme_books(animals)] == expected
    assert [b.title for b in selection.all_books().books] == expected


def test_equally_good_search_hits_put_featured_books_first():
    make_book("Draken Ada")
    make_book("Draken Östen", is_featured=True, is_generated=True)
    assert [b.title for b in services.search("draken")] == ["Draken Östen", "Draken Ada"]


def test_no_index_of_the_book_table_holds_the_demo_flag():
    assert all("is_generated" not in "".join(index.fields) for index in Book._meta.indexes)
