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
