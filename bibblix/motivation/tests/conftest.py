"""Builders for motivation's tests: books, more children, reading a book to the end."""

import datetime
import itertools

import pytest
import time_machine

from bibblix.catalogue.models import Book, Theme

_cards = itertools.count(40000001)


@pytest.fixture
def make_book(db):
    def make(title="Boken", *, themes=(), **fields):
        fields.setdefault("page_count", 20)
        book = Book.objects.create(title=title, **fields)
        for slug in themes:
            theme, _ = Theme.objects.get_or_create(
                slug=slug, defaults={"name_sv": slug, "name_en": slug, "symbol": "*"}
            )
            book.themes.add(theme)
        return book

    return make


@pytest.fixture
def make_patron(db):
    """Another child of a municipality's first library (a new card each call)."""
    from bibblix.patrons.services import patron_for_card

    def make(municipality):
        return patron_for_card(municipality.libraries.first(), str(next(_cards)))

    return make


@pytest.fixture
def read_book():
    """The child reads `book` through the reader: a first position, `minutes` later the end."""
    from bibblix.lending import services as lending

    def read(patron, book, *, minutes: int = 5, at: datetime.datetime | None = None):
        start = at or datetime.datetime(2026, 6, 10, 12, 0, tzinfo=datetime.UTC)
        with time_machine.travel(start, tick=False):
            lending.record_progress(patron, book.pk, "start", 0.01)
        with time_machine.travel(start + datetime.timedelta(minutes=minutes), tick=False):
            lending.record_progress(patron, book.pk, "end", 1.0)

    return read


@pytest.fixture
def log_in():
    from bibblix.patrons.services import SESSION_KEY

    def log(client, patron):
        session = client.session
        session[SESSION_KEY] = str(patron.public_id)
        session.save()
        return client

    return log
