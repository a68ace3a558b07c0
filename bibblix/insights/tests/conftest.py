"""Builders for insights' tests: books, children, and a snapshot of every figure."""

import itertools

import pytest

from bibblix.catalogue.models import Book

_cards = itertools.count(40000001)


@pytest.fixture
def make_book(db):
    def make(title="Boken", **fields):
        return Book.objects.create(title=title, **fields)

    return make


@pytest.fixture
def make_patron(db):
    """Another child of a municipality's first library (a new card each call)."""
    from bibblix.patrons.services import patron_for_card

    def make(municipality):
        return patron_for_card(municipality.libraries.first(), str(next(_cards)))

    return make


def figures() -> set[tuple]:
    """Every stored figure, to compare before and after."""
    from bibblix.insights.models import DailyCount

    return set(
        DailyCount.objects.values_list(
            "metric", "dimension", "municipality_id", "day", "key", "value"
        )
    )
