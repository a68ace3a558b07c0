"""Builders for lending's tests: books with a licence, more children, rules."""

import itertools

import pytest

from bibblix.catalogue.models import Book

_cards = itertools.count(30000001)


@pytest.fixture
def make_book(db):
    def make(title="Boken", *, copies: int | None = None, **fields):
        if copies is not None:
            fields.update(licence_model=Book.LicenceModel.CONCURRENT, licence_copies=copies)
        return Book.objects.create(title=title, **fields)

    return make


@pytest.fixture
def book(make_book):
    return make_book("Alla tiders bok")


@pytest.fixture
def make_patron(db):
    """Another child of a municipality's first library (a new card each call)."""
    from bibblix.patrons.services import patron_for_card

    def make(municipality):
        return patron_for_card(municipality.libraries.first(), str(next(_cards)))

    return make


@pytest.fixture
def copy_kept_for_the_queue(ale, make_patron, make_book):
    """A one-copy book whose free copy waits for the first child in the queue, who may not
    borrow now (loans at once capped at 1, and they have another book)."""
    from bibblix.lending import services
    from bibblix.lending.models import LoanPolicy

    LoanPolicy.objects.create(municipality=ale, max_active_loans=1)
    book = make_book("Populär", copies=1)
    reader, full = make_patron(ale), make_patron(ale)
    loan, _ = services.borrow(reader, book.pk)
    services.place_hold(full, book.pk)
    services.borrow(full, make_book("Annan bok").pk)
    services.return_loan(reader, loan.pk)
    assert services.free_copies(book) == 1 and services.queue_length(book.pk) == 1
    return book


@pytest.fixture
def log_in():
    """Log a test client in as a patron."""
    from bibblix.patrons.services import SESSION_KEY

    def log(client, patron):
        session = client.session
        session[SESSION_KEY] = str(patron.public_id)
        session.save()
        return client

    return log


@pytest.fixture
def child_in_browser(phone, live_server, patron_ale, make_book):
    """The phone logged in as Ale's child, with one loan, via the session cookie."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    from bibblix.lending import services
    from bibblix.patrons.services import SESSION_KEY

    services.borrow(patron_ale, make_book("En mycket lång boktitel om drakar och rymdskepp").pk)
    session = SessionStore()
    session[SESSION_KEY] = str(patron_ale.public_id)
    session.save()
    phone.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server.url,
            }
        ]
    )
    return phone
