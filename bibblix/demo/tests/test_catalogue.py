import pytest
from django.core.management import call_command

from bibblix.catalogue.models import Book, Shelf
from bibblix.catalogue.services import featured_books, free_to_try_books, search

pytestmark = pytest.mark.django_db


def test_demo_catalogue_has_weekly_tips_free_books_and_is_searchable():
    call_command("load_demo_data", books=80)
    call_command("load_demo_data", books=80)
    assert Book.objects.count() == 80
    tips = Shelf.objects.get(slug="veckans-tips", municipality=None)
    assert tips.books.count() >= 5
    assert len(free_to_try_books()) == 3
    some_title = Book.objects.filter(is_generated=True).first().title
    assert some_title in [book.title for book in search(some_title.lower())]


@pytest.mark.shared
def test_demo_test_books_stay_out_of_childrens_lists():
    call_command("load_demo_data", books=40)
    samples = Book.objects.filter(shelves__slug="testbocker")
    assert samples.count() == 3
    featured = featured_books(limit=40)
    assert not set(featured) & set(samples)
    assert not set(search("mol")) & set(samples)
    assert [b.title for b in featured[:2]] == [
        "The Wonderful Adventures of Nils",
        "The Jungle Book",
    ]
    assert {b.title for b in free_to_try_books()} == {
        "The Wonderful Wizard of Oz",
        "The Adventures of Pinocchio",
        "The Secret Garden",
    }
