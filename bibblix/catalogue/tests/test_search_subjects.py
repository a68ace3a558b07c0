"""Subjects are part of what a book is found by (docs/catalogue.md, Search)."""

import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from bibblix.catalogue.models import Book
from bibblix.catalogue.services import search

from .builders import make_book

pytestmark = pytest.mark.django_db
DINOSAURS = [{"scheme": "thema", "code": "WNCB", "heading": "Dinosaurier och förhistoriskt liv"}]


def titles(query: str) -> list[str]:
    return [book.title for book in search(query)[:5]]


def test_a_subject_heading_finds_the_book():
    make_book("Benjamin och den stora ödlan", authors=("Elsa Lind",), subjects=DINOSAURS)
    make_book("Benjamin på månen", authors=("Elsa Lind",))
    assert titles("dinosaurier") == ["Benjamin och den stora ödlan"]
    assert titles("förhistoriskt") == ["Benjamin och den stora ödlan"]


def test_a_misspelt_subject_finds_the_book_too():
    make_book("Benjamin och den stora ödlan", authors=("Elsa Lind",), subjects=DINOSAURS)
    assert titles("dinosarier") == ["Benjamin och den stora ödlan"]


def test_epub_subjects_as_plain_headings_and_codes_without_words():
    book = make_book(
        "Fyren",
        subjects=[{"scheme": "epub", "heading": "Hav"}, {"scheme": "thema", "code": "YFH"}],
    )
    assert book.search_text == "fyren hav"


def test_a_title_match_ranks_before_a_subject_match():
    make_book("Allt om fotboll", subjects=[{"scheme": "epub", "heading": "Hästar"}])
    make_book("Hästar", authors=("Omar Berg",))
    make_book("Ponnyn", is_featured=True, subjects=[{"scheme": "epub", "heading": "Hästar"}])
    assert titles("hästar")[0] == "Hästar"


def test_changing_the_subjects_reindexes_the_book():
    book = make_book("Fyren")
    assert titles("hav") == []
    book.subjects = [{"scheme": "epub", "heading": "Hav"}]
    book.save()
    assert titles("hav") == ["Fyren"]


def test_the_data_migration_and_the_command_rebuild_stored_books():
    book = make_book("Fyren", authors=("Alva Berg",), subjects=[{"heading": "Hav och fyrar"}])
    Book.objects.filter(pk=book.pk).update(search_text="fyren alva berg")  # as before 0011
    migration = importlib.import_module("bibblix.catalogue.migrations.0011_subjects_in_search_text")
    migration.reindex(apps, None)
    book.refresh_from_db()
    assert book.search_text == "fyren alva berg hav och fyrar"

    Book.objects.filter(pk=book.pk).update(search_text="fyren")
    out = StringIO()
    call_command("reindex_search", stdout=out)
    book.refresh_from_db()
    assert book.search_text == "fyren alva berg hav och fyrar"
    assert "1 books reindexed" in out.getvalue()
