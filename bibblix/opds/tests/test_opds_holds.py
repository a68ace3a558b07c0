"""Holds from a reading app: borrowing a book whose copies are all out puts the child in the
queue, and the shelf shows the place, as library (Palace-style) apps expect."""

import json

import pytest
from lxml import etree

from bibblix.lending import services
from bibblix.lending.models import Hold, LoanPolicy

from .app import (
    ACQUISITION,
    ATOM,
    BORROW,
    OPDS,
    REVOKE,
    atom_rels,
    book_action,
    rels,
    shelf_url,
)
from .helpers import another_child, assert_valid, basic, licensed_book

pytestmark = pytest.mark.django_db


@pytest.fixture
def lent_out(ale):
    """A book with two copies, both lent to other children."""
    book = licensed_book("Utlånad", copies=2)
    for _ in range(2):
        services.borrow(another_child(ale), book.pk)
    return book


def borrow(client, card, library, book, version="v2"):
    return client.post(
        book_action(library, book, "borrow", version), HTTP_AUTHORIZATION=basic(*card)
    )


def test_borrowing_when_every_copy_is_out_places_a_hold(
    client, ale_library, card_ale, patron_ale, lent_out
):
    response = borrow(client, card_ale, ale_library, lent_out)
    assert response.status_code == 201
    assert response["Content-Type"].startswith("application/opds-publication+json")
    [hold] = services.patron_holds(patron_ale)
    assert hold.book == lent_out
    links = rels(json.loads(response.content))
    for rel in (BORROW, ACQUISITION):
        assert links[rel]["properties"]["availability"] == {
            "state": "reserved",
            "since": hold.placed_at.isoformat(),
        }
    assert (
        links[REVOKE]["href"] == f"http://testserver{book_action(ale_library, lent_out, 'revoke')}"
    )


def test_borrowing_again_while_queued_answers_200_and_the_same_hold(
    client, ale_library, card_ale, lent_out
):
    assert borrow(client, card_ale, ale_library, lent_out).status_code == 201
    again = client.get(
        book_action(ale_library, lent_out, "borrow"), HTTP_AUTHORIZATION=basic(*card_ale)
    )
    assert again.status_code == 200
    assert rels(json.loads(again.content))[BORROW]["properties"]["holds"]["position"] == 1
    assert Hold.objects.filter(book=lent_out).count() == 1


def test_the_reserved_publication_shows_the_place_and_the_copies(
    client, ale, ale_library, card_ale, lent_out
):
    services.place_hold(another_child(ale), lent_out.pk)  # someone queued first
    properties = rels(json.loads(borrow(client, card_ale, ale_library, lent_out).content))[BORROW][
        "properties"
    ]
    assert properties["holds"] == {"total": 2, "position": 2}
    assert properties["copies"] == {"total": 2, "available": 0}


def test_an_atom_app_gets_the_hold_as_reserved_with_its_place(
    client, ale_library, card_ale, lent_out
):
    response = borrow(client, card_ale, ale_library, lent_out, "v1")
    assert response.status_code == 201
    assert response["Content-Type"].startswith("application/atom+xml;type=entry")
    borrow_link = atom_rels(etree.fromstring(response.content))[BORROW]
    availability = borrow_link.find(f"{OPDS}availability")
    assert availability.get("status") == "reserved"
    assert availability.get("since") == Hold.objects.get().placed_at.isoformat()
    assert dict(borrow_link.find(f"{OPDS}holds").attrib) == {"total": "1", "position": "1"}
    assert dict(borrow_link.find(f"{OPDS}copies").attrib) == {"total": "2", "available": "0"}


def test_a_child_at_the_queue_cap_gets_409_holds_at_once(
    client, ale, ale_library, card_ale, patron_ale, lent_out
):
    LoanPolicy.objects.create(municipality=ale, max_holds=1)
    other = licensed_book("Också utlånad", copies=1)
    services.borrow(another_child(ale), other.pk)
    services.place_hold(patron_ale, other.pk)
    response = borrow(client, card_ale, ale_library, lent_out)
    assert response.status_code == 409
    problem = json.loads(response.content)
    assert problem["rule"] == "holds_at_once"
    assert problem["detail"].startswith("Du står redan i kö")
    assert not Hold.objects.filter(book=lent_out).exists()


def test_the_shelf_lists_holds_after_loans_with_their_place(
    client, ale, ale_library, card_ale, patron_ale, lent_out
):
    mine = licensed_book("Min bok")
    services.borrow(patron_ale, mine.pk)
    services.place_hold(another_child(ale), lent_out.pk)
    services.place_hold(patron_ale, lent_out.pk)
    response = client.get(shelf_url(ale_library), HTTP_AUTHORIZATION=basic(*card_ale))
    feed = json.loads(response.content)
    assert feed["metadata"]["numberOfItems"] == 2
    loaned, queued = feed["publications"]
    assert loaned["metadata"]["title"] == "Min bok"
    assert queued["metadata"]["title"] == "Utlånad"
    properties = rels(queued)[ACQUISITION]["properties"]
    assert properties["availability"]["state"] == "reserved"
    assert properties["holds"] == {"total": 2, "position": 2}


def test_the_atom_shelf_lists_holds_with_their_place(
    client, ale_library, card_ale, patron_ale, lent_out
):
    services.place_hold(patron_ale, lent_out.pk)
    response = client.get(shelf_url(ale_library, "v1"), HTTP_AUTHORIZATION=basic(*card_ale))
    [entry] = etree.fromstring(response.content).findall(f"{ATOM}entry")
    links = atom_rels(entry)
    assert links[BORROW].find(f"{OPDS}availability").get("status") == "reserved"
    assert links[BORROW].find(f"{OPDS}holds").get("position") == "1"
    assert REVOKE in links


@pytest.mark.shared
def test_the_reserved_publication_passes_the_schema(client, ale_library, card_ale, lent_out):
    assert_valid("publication", json.loads(borrow(client, card_ale, ale_library, lent_out).content))


@pytest.mark.shared
def test_a_shelf_with_loans_and_holds_passes_the_schema(
    client, ale_library, card_ale, patron_ale, lent_out
):
    services.borrow(patron_ale, licensed_book("Min bok").pk)
    services.place_hold(patron_ale, lent_out.pk)
    feed = client.get(shelf_url(ale_library), HTTP_AUTHORIZATION=basic(*card_ale)).json()
    assert len(feed["publications"]) == 2
    assert_valid("feed", feed)
