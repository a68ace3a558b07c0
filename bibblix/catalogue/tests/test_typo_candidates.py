"""PostgreSQL's typo step ranks a bounded set of books (docs/catalogue.md, Search): at national
scale a word like "maja" or "den" is in thousands of books, and scoring each by word similarity
took 50 ms and more."""

import pytest
from django.db import connection

from bibblix.catalogue import search as search_module
from bibblix.catalogue.services import search

from .builders import make_book

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL's typo step (SQLite ranks its own FTS5 candidates)",
    ),
]


@pytest.fixture
def few_candidates(monkeypatch):
    monkeypatch.setattr(search_module, "TYPO_CANDIDATES", 3)


def test_the_rarest_word_s_books_are_ranked_even_when_a_common_word_fills_the_set(few_candidates):
    # Five books hold the common word and sort first in listing order; none holds both words.
    for letter in "ABCDE":
        make_book(f"{letter} den lilla katten", is_featured=True)
    make_book("Zebran mol")
    titles = [book.title for book in search("den mol")]
    assert "Zebran mol" in titles
    assert len(titles) == 3  # bounded: the set, not every book holding "den"


def test_books_holding_more_of_the_words_come_first(few_candidates):
    make_book("Maja ach mal")  # one of the words, and close to the whole query
    make_book("Mol i sjön hos Maja")  # two of the words, further from it
    make_book("Och så vidare")
    assert [book.title for book in search("maja och mol")][:2] == [
        "Mol i sjön hos Maja",
        "Maja ach mal",
    ]


def test_words_no_book_starts_still_find_books_by_trigram_similarity():
    make_book("Spökslottet")
    make_book("Draken")
    # Three letters too many for the speller; no book starts a word with it.
    assert [book.title for book in search("spokslottetxyz")] == ["Spökslottet"]
