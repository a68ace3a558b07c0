import pytest

from bibblix.catalogue.services import SearchFilters, search

from .builders import make_book, make_theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf_of_books():
    animals = make_theme("djur", "Djur", "🐾")
    return {
        "potter": make_book(
            "Harry Potter och de vises sten", authors=("J.K. Rowling",), reading_minutes=400
        ),
        "pippi": make_book(
            "Pippi Långstrump",
            authors=("Astrid Lindgren",),
            themes=[animals],
            reading_minutes=90,
            age_min=6,
            age_max=9,
        ),
        "emil": make_book("Emil i Lönneberga", authors=("Astrid Lindgren",), reading_minutes=20),
        "draken": make_book(
            "Draken som åt glass", language="en", layout="fixed", is_easy_to_read=True
        ),
        "bamse": make_book("Bamse och tjuvstaden", age_min=3, age_max=6, page_count=10),
    }


def titles(books):
    return [book.title for book in books]


def test_typo_finds_harry_potter(shelf_of_books):
    assert titles(search("harry poter"))[:1] == ["Harry Potter och de vises sten"]


def test_typo_and_plain_a_for_a_ring_find_pippi(shelf_of_books):
    assert titles(search("pipi långstrump"))[:1] == ["Pippi Långstrump"]
    assert titles(search("pippi langstrump"))[:1] == ["Pippi Långstrump"]


def test_prefix_as_you_type_finds_the_book(shelf_of_books):
    assert "Emil i Lönneberga" in titles(search("lönneb"))
    assert titles(search("dra"))[:1] == ["Draken som åt glass"]


def test_swedish_letters_match_with_or_without_dots(shelf_of_books):
    assert titles(search("lonneberga")) == ["Emil i Lönneberga"]
    assert titles(search("LÖNNEBERGA")) == ["Emil i Lönneberga"]


def test_author_name_finds_their_books(shelf_of_books):
    assert set(titles(search("astrid lindgren"))) == {"Pippi Långstrump", "Emil i Lönneberga"}


def test_exact_title_ranks_before_loose_matches(shelf_of_books):
    make_book("Glassbilen kommer")
    assert titles(search("glassbilen"))[0] == "Glassbilen kommer"


def test_nonsense_finds_nothing(shelf_of_books):
    assert titles(search("xqzwv")) == []


def test_filters_narrow_the_results(shelf_of_books):
    assert titles(search("", SearchFilters(age=4))) == ["Bamse och tjuvstaden"]
    assert titles(search("", SearchFilters(language="en"))) == ["Draken som åt glass"]
    assert titles(search("", SearchFilters(theme="djur"))) == ["Pippi Långstrump"]
    assert titles(search("", SearchFilters(picture_book=True))) == ["Draken som åt glass"]
    assert titles(search("", SearchFilters(easy_to_read=True))) == ["Draken som åt glass"]


def test_length_filter_uses_reading_time_or_pages(shelf_of_books):
    assert set(titles(search("", SearchFilters(length="short")))) == {
        "Emil i Lönneberga",
        "Bamse och tjuvstaden",
    }
    assert titles(search("", SearchFilters(length="medium"))) == ["Pippi Långstrump"]
    assert titles(search("", SearchFilters(length="long"))) == ["Harry Potter och de vises sten"]


def test_query_and_filters_combine(shelf_of_books):
    assert titles(search("astrid", SearchFilters(age=10))) == ["Emil i Lönneberga"]
    assert titles(search("pipi", SearchFilters(language="en"))) == []


def test_withdrawn_books_are_not_found(shelf_of_books):
    shelf_of_books["emil"].is_withdrawn = True
    shelf_of_books["emil"].save()
    assert titles(search("emil")) == []


def test_renamed_book_is_found_by_its_new_title(shelf_of_books):
    book = shelf_of_books["bamse"]
    book.title = "Bamse och häxan"
    book.save()
    assert titles(search("haxan")) == ["Bamse och häxan"]
    assert titles(search("tjuvstaden")) == []


def test_unfinished_earlier_word_still_finds_the_book(shelf_of_books):
    assert titles(search("pip lång"))[:1] == ["Pippi Långstrump"]


def test_short_words_match_word_beginnings(shelf_of_books):
    assert titles(search("emil i"))[:1] == ["Emil i Lönneberga"]
