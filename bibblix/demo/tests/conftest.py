"""Builders for the demo's tests."""

import pytest

from bibblix.catalogue.models import Book


@pytest.fixture
def make_book(db):
    def make(title="Boken", **fields):
        return Book.objects.create(title=title, **fields)

    return make
