"""What keeps the search fast at 100,000 books (docs/catalogue.md, Search): exact titles ranked
on the folded titles, and on PostgreSQL a stored tsvector and GIN indexes without a pending list."""

import pytest
from django.db import connection

from bibblix.catalogue.models import Book
from bibblix.catalogue.search_index import create_search_index
from bibblix.catalogue.services import refresh_search_index, search

from .builders import make_book

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's own index structures"
)


def test_exact_title_with_swedish_letters_comes_before_a_featured_longer_title():
    # Featured books come first in a tier; the exact title is its own, higher tier even though
    # the query is folded ("pippi langstrump") and the title is not ("Pippi Långstrump").
    make_book("Pippi Långstrump i Söderhavet", authors=("Astrid Lindgren",), is_featured=True)
    make_book("Pippi Långstrump", authors=("Astrid Lindgren",))
    assert [b.title for b in search("pippi långstrump")[:2]] == [
        "Pippi Långstrump",
        "Pippi Långstrump i Söderhavet",
    ]


def test_a_series_name_typed_whole_is_exact_too():
    make_book("Bamse och tjuvstaden", series="Bamse", is_featured=True)
    make_book("Kalle och Bamse-bussen", series="Kalle")
    make_book("Den stora boken om Kalle")
    assert search("kalle")[0].title == "Kalle och Bamse-bussen"


def test_titles_are_kept_folded_on_save_and_refresh():
    book = make_book("Trollkarlen från Oz", series="Oz")
    assert book.search_titles == "|trollkarlen fran oz|oz|"
    Book.objects.filter(pk=book.pk).update(search_titles="")
    assert refresh_search_index() == 1
    book.refresh_from_db()
    assert book.search_titles == "|trollkarlen fran oz|oz|"


@postgres_only
def test_postgres_keeps_the_words_stored_and_indexes_without_pending_list():
    book = make_book("Spökslottet", authors=("Alva Berg",))
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM catalogue_book WHERE id = %s", [book.pk])
        assert "'spokslottet'" in cursor.fetchone()[0]
        cursor.execute(
            "SELECT indexrelid::regclass::text, reloptions FROM pg_index "
            "JOIN pg_class ON pg_class.oid = indexrelid "
            "WHERE indexrelid::regclass::text LIKE 'catalogue_book_search%%'"
        )
        options = dict(cursor.fetchall())
    assert set(options) == {"catalogue_book_search_trgm", "catalogue_book_search_vector"}
    assert all(value == ["fastupdate=off"] for value in options.values())


@postgres_only
def test_creating_the_index_again_turns_an_old_pending_list_off():
    with connection.cursor() as cursor:
        cursor.execute("ALTER INDEX catalogue_book_search_trgm SET (fastupdate = on)")
    create_search_index()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reloptions FROM pg_class WHERE relname = 'catalogue_book_search_trgm'"
        )
        assert cursor.fetchone()[0] == ["fastupdate=off"]
