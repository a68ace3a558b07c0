import pytest
from django.core.management import call_command

from bibblix.catalogue.models import Book, BookContributor, Contributor, Shelf, Theme
from bibblix.catalogue.services import (
    children_books,
    featured_books,
    free_to_try_books,
    search,
    theme_books,
)
from bibblix.demo import catalogue as demo
from bibblix.demo.generated_books import ADJECTIVES

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
    assert samples.count() == 1
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
    # Real books lead the lists because the demo features them, not through a demo flag.
    listed = list(search(""))
    real = [book for book in listed if not book.is_generated]
    assert len(real) == 14 and listed[: len(real)] == real  # 12 stories, 2 picture books


@pytest.mark.shared
def test_demo_picture_books_are_shown_to_children_in_their_own_theme():
    call_command("load_demo_data", books=40)
    picture_books = Book.objects.filter(themes__slug="bilderbocker")
    assert picture_books.count() == 2
    assert all(book.layout == Book.Layout.FIXED for book in picture_books)
    assert set(picture_books) <= set(children_books())
    assert {book.pk for book in theme_books(Theme.objects.get(slug="bilderbocker"))} == {
        book.pk for book in picture_books
    }


@pytest.mark.shared
def test_kipling_is_the_author_of_just_so_stories_and_its_illustrator():
    demo.load_shared_books(demo.load_themes(), out=lambda line: None)
    book = Book.objects.get(title="Just So Stories")
    assert [c.name for c in book.authors] == ["Rudyard Kipling"]
    illustrators = book.contributors_in(BookContributor.Role.ILLUSTRATOR)
    assert "Rudyard Kipling" in [c.name for c in illustrators]
    assert all(book.authors for book in Book.objects.exclude(title__startswith="mol-"))


def test_an_author_the_epub_calls_illustrator_only_is_credited_once():
    book = Book.objects.create(title="Just So Stories")
    kipling = Contributor.objects.create(name="Rudyard Kipling")
    BookContributor.objects.create(book=book, contributor=kipling, role="illustrator")
    demo.credit_authors(book, "Rudyard Kipling & Nobody Listed")
    demo.credit_authors(book, "Rudyard Kipling")
    assert [(link.contributor.name, link.role) for link in book.book_contributors.all()] == [
        ("Rudyard Kipling", "author"),
        ("Rudyard Kipling", "illustrator"),
    ]


def test_generated_titles_are_swedish_and_tagged_swedish():
    stale = Book.objects.create(title="Den lilla ugglan i snön", language="ar", is_generated=True)
    demo.load_generated_books(demo.load_themes(), target_total=60)
    generated = Book.objects.filter(is_generated=True)
    assert generated.count() == 60
    assert set(generated.values_list("language", flat=True)) == {"sv"}
    assert all(book.title.startswith(tuple(ADJECTIVES)) for book in generated)
    stale.refresh_from_db()
    assert stale.language == "sv"
