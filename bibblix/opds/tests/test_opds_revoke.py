"""Giving a book back from a reading app: the revoke link returns the child's loan (the copy goes
to the queue) or leaves the queue, and answers the book as anyone sees it."""

import json

import pytest
from lxml import etree

from bibblix.lending import services
from bibblix.lending.models import Hold, Loan

from .app import ACQUISITION, BORROW, REVOKE, atom_rels, book_action, rels, shelf_url
from .helpers import another_child, assert_valid, basic, licensed_book

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_copy(db):
    return licensed_book("Ett exemplar", copies=1)


def revoke(client, card, library, book, version="v2", method="post"):
    send = getattr(client, method)
    return send(book_action(library, book, "revoke", version), HTTP_AUTHORIZATION=basic(*card))


def test_revoking_a_loan_returns_it_and_answers_the_book_to_borrow_again(
    client, ale_library, card_ale, patron_ale, book
):
    loan, _created = services.borrow(patron_ale, book.pk)
    response = revoke(client, card_ale, ale_library, book)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/opds-publication+json")
    loan.refresh_from_db()
    assert loan.returned_at is not None
    links = rels(json.loads(response.content))
    assert links[BORROW]["href"].endswith(book_action(ale_library, book, "borrow"))
    assert REVOKE not in links
    assert "availability" not in links[ACQUISITION].get("properties", {})


def test_the_copy_a_revoke_frees_goes_to_the_first_in_the_queue(
    client, ale, ale_library, card_ale, patron_ale, one_copy
):
    services.borrow(patron_ale, one_copy.pk)
    first, second = another_child(ale), another_child(ale)
    services.place_hold(first, one_copy.pk)
    services.place_hold(second, one_copy.pk)
    assert revoke(client, card_ale, ale_library, one_copy).status_code == 200
    assert services.has_active_loan(first, one_copy)
    assert not services.has_active_loan(second, one_copy)


def test_revoking_a_hold_leaves_the_queue(client, ale, ale_library, card_ale, patron_ale, one_copy):
    services.borrow(another_child(ale), one_copy.pk)
    hold, _created = services.place_hold(patron_ale, one_copy.pk)
    response = revoke(client, card_ale, ale_library, one_copy, method="delete")
    assert response.status_code == 200
    hold.refresh_from_db()
    assert hold.cancelled_at is not None
    borrow_link = rels(json.loads(response.content))[BORROW]
    assert "availability" not in borrow_link["properties"]


def test_revoking_with_nothing_to_give_back_is_404_in_swedish(client, ale_library, card_ale, book):
    response = revoke(client, card_ale, ale_library, book)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert json.loads(response.content)["detail"].startswith("Du har inte lånat den här boken")


def test_a_second_revoke_is_404(client, ale_library, card_ale, patron_ale, book):
    services.borrow(patron_ale, book.pk)
    assert revoke(client, card_ale, ale_library, book, method="put").status_code == 200
    assert revoke(client, card_ale, ale_library, book, method="put").status_code == 404


def test_revoke_needs_the_card(client, ale_library, card_ale, patron_ale, book):
    services.borrow(patron_ale, book.pk)
    # Log in through a feed (starts a session): the cookie alone returns nothing.
    client.get(f"/opds/v2/libraries/{ale_library.pk}/", HTTP_AUTHORIZATION=basic(*card_ale))
    response = client.post(book_action(ale_library, book, "revoke"))
    assert response.status_code == 401
    assert "http://opds-spec.org/auth/document" in response["Link"]
    assert services.has_active_loan(patron_ale, book)


def test_a_revoke_started_by_another_website_is_refused(
    client, ale_library, card_ale, patron_ale, book
):
    services.borrow(patron_ale, book.pk)
    response = client.get(
        book_action(ale_library, book, "revoke"),
        HTTP_AUTHORIZATION=basic(*card_ale),
        HTTP_SEC_FETCH_SITE="cross-site",
    )
    assert response.status_code == 403
    assert services.has_active_loan(patron_ale, book)


def test_revoking_leaves_another_childs_loan_of_the_book_alone(
    client, ale, ale_library, card_ale, patron_ale, book
):
    theirs, _created = services.borrow(another_child(ale), book.pk)
    services.borrow(patron_ale, book.pk)
    assert revoke(client, card_ale, ale_library, book).status_code == 200
    assert revoke(client, card_ale, ale_library, book).status_code == 404
    theirs.refresh_from_db()
    assert theirs.returned_at is None
    assert Loan.objects.filter(returned_at__isnull=True).get() == theirs


def test_head_returns_nothing(client, ale_library, card_ale, patron_ale, book):
    # Link checkers and prefetchers send HEAD: it must not give a loan back.
    services.borrow(patron_ale, book.pk)
    assert revoke(client, card_ale, ale_library, book, method="head").status_code == 405
    assert services.has_active_loan(patron_ale, book)


def test_borrowed_and_queued_books_link_revoke_in_the_shelf(
    client, ale, ale_library, card_ale, patron_ale, book, one_copy
):
    services.borrow(patron_ale, book.pk)
    services.borrow(another_child(ale), one_copy.pk)
    services.place_hold(patron_ale, one_copy.pk)
    feed = client.get(shelf_url(ale_library), HTTP_AUTHORIZATION=basic(*card_ale)).json()
    assert [rels(item)[REVOKE]["href"] for item in feed["publications"]] == [
        f"http://testserver{book_action(ale_library, b, 'revoke')}" for b in (book, one_copy)
    ]


def test_an_atom_app_revokes_with_get_and_gets_the_entry_to_borrow_again(
    client, ale_library, card_ale, patron_ale, book
):
    services.borrow(patron_ale, book.pk)
    borrowed = client.get(
        book_action(ale_library, book, "borrow", "v1"), HTTP_AUTHORIZATION=basic(*card_ale)
    )
    revoke_href = atom_rels(etree.fromstring(borrowed.content))[REVOKE].get("href")
    response = client.get(revoke_href, HTTP_AUTHORIZATION=basic(*card_ale))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml;type=entry")
    links = atom_rels(etree.fromstring(response.content))
    assert BORROW in links and REVOKE not in links
    assert not services.has_active_loan(patron_ale, book)


@pytest.mark.shared
def test_the_publications_around_a_revoke_pass_the_schema(
    client, ale, ale_library, card_ale, one_copy
):
    borrowed = client.post(
        book_action(ale_library, one_copy, "borrow"), HTTP_AUTHORIZATION=basic(*card_ale)
    )
    assert_valid("publication", json.loads(borrowed.content))
    services.place_hold(another_child(ale), one_copy.pk)
    returned = revoke(client, card_ale, ale_library, one_copy)
    assert_valid("publication", json.loads(returned.content))
    assert Hold.objects.get().fulfilled_at is not None
