"""A book children cannot see (hidden by the association) cannot be borrowed, queued for or read
by any path: the pages, the JSON API and the reader use the catalogue's one rule."""

import pytest

from bibblix.catalogue import services as catalogue
from bibblix.lending.models import Hold, Loan

NOW = "2026-03-02T10:00Z"


@pytest.fixture
def hidden_book(make_book):
    return make_book("Testbok", copies=1, is_free_to_try=True, is_hidden_from_children=True)


def test_is_visible_to_children_follows_children_books(hidden_book, book):
    assert catalogue.is_visible_to_children(book)
    assert not catalogue.is_visible_to_children(hidden_book)
    assert not catalogue.is_visible_to_children(None)
    assert catalogue.get_children_book(hidden_book.pk) is None


def test_hidden_book_cannot_be_borrowed_through_the_api(child, hidden_book):
    assert child.get(f"/api/v1/books/{hidden_book.pk}").status_code == 404
    response = child.post(
        "/api/v1/loans", {"book": hidden_book.pk}, content_type="application/json"
    )
    assert response.status_code == 404
    assert not Loan.objects.exists()


def test_hidden_book_cannot_be_queued_for_through_the_api(child, hidden_book, ale, make_patron):
    # Its one copy is out (lent before the book was put on the internal shelf).
    Loan.objects.create(
        patron=make_patron(ale), book=hidden_book, borrowed_at=NOW, due_at="2999-01-01T00:00Z"
    )
    response = child.post(
        "/api/v1/holds", {"book": hidden_book.pk}, content_type="application/json"
    )
    assert response.status_code == 404
    assert not Hold.objects.exists()


def test_hidden_book_cannot_be_borrowed_from_a_page(child, hidden_book):
    response = child.post(f"/my/books/{hidden_book.pk}/borrow/")
    assert response.status_code == 404
    assert not Loan.objects.exists()


def test_hidden_book_does_not_open_in_the_reader_even_with_a_loan(child, hidden_book):
    Loan.objects.create(
        patron=child.patron, book=hidden_book, borrowed_at=NOW, due_at="2999-01-01T00:00Z"
    )
    response = child.get(f"/read/{hidden_book.pk}/")
    assert response.status_code == 302
    assert child.get(f"/read/{hidden_book.pk}/access.json").status_code == 410
