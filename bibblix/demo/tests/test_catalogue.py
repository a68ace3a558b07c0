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
from bibblix.demo.generated_books import (
    ADJECTIVES,
    COLOURS,
    NOUNS,
    TITLES,
    generated_title,
    make_cover,
)

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
    assert all(book.title.split()[1] in ADJECTIVES for book in generated)
    stale.refresh_from_db()
    assert stale.language == "sv"


def test_generated_titles_are_grammatical_and_never_repeat():
    titles = [generated_title(number) for number in range(1, 3601)]
    assert len(set(titles)) == len(titles)
    for title in titles:
        article, _adjective, noun = title.split()[:3]
        neuter = dict(NOUNS)[noun]
        assert article == ("Det" if neuter else "Den"), title
    assert "Det hemliga spökslottet i Ale" in TITLES
    assert not any("robotten" in title for title in titles)


def test_generated_books_get_covers_with_their_own_title():
    demo.load_generated_books(demo.load_themes(), target_total=5)
    books = list(Book.objects.filter(is_generated=True))
    assert len({book.cover.name for book in books}) == len(books) == 5
    for book in books:
        number = int(book.identifier.rsplit(":", 1)[-1])
        drawn = make_cover(
            book.title,
            COLOURS[number % len(COLOURS)],
            width=300,
            author=book.authors[0].name,
            image_format="JPEG",
        )
        assert book.cover.open("rb").read() == drawn


def test_a_cover_shows_its_title():
    # Covers differ only by the title drawn on them, so the text is really on the image.
    one = make_cover("Den lilla draken i Ale", (52, 152, 219), width=300, image_format="JPEG")
    two = make_cover("Den lilla draken i Ale", (52, 152, 219), width=300, image_format="JPEG")
    other = make_cover("Det stora huset", (52, 152, 219), width=300, image_format="JPEG")
    assert one == two and one != other and one[:2] == b"\xff\xd8"


def test_demo_renews_old_generated_books_repeated_titles_and_shared_covers():
    old = Book.objects.create(
        title="Den lilla robotten i Ale",
        is_generated=True,
        identifier="urn:bibblix:generated:7",
        cover="covers/generated-3.png",
    )
    demo.load_generated_books(demo.load_themes(), target_total=1)
    old.refresh_from_db()
    assert old.title == generated_title(7) and old.cover.name == "covers/generated/7.jpg"
