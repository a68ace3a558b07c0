"""Builders for the OPDS tests that borrow: books with a licence, more children of a library."""

import itertools

import pytest

from bibblix.catalogue.models import Book

_cards = itertools.count(40000001)


@pytest.fixture
def make_licensed_book(db):
    """A book with no contributors or cover; `copies` gives it a concurrent licence."""

    def make(title="Boken", *, copies: int | None = None, **fields):
        if copies is not None:
            fields.update(licence_model=Book.LicenceModel.CONCURRENT, licence_copies=copies)
        return Book.objects.create(title=title, **fields)

    return make


@pytest.fixture
def book(make_licensed_book):
    return make_licensed_book("Alla tiders bok")


@pytest.fixture
def make_patron(db):
    """Another child of a municipality's first library (a new card each call)."""
    from bibblix.patrons.services import patron_for_card

    def make(municipality):
        return patron_for_card(municipality.libraries.first(), str(next(_cards)))

    return make
