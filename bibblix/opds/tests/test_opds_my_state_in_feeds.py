"""A library's catalogue feeds show the logged-in child's own loan or hold on each publication
(lending says what the child has; the feeds only write it), in OPDS 2.0 and in Atom alike."""

import json

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from bibblix.lending import services

from .app import ACQUISITION, ATOM, BORROW, OPDS, REVOKE, atom_rels, rels
from .helpers import another_child, assert_valid, basic, licensed_book

pytestmark = pytest.mark.django_db


@pytest.fixture
def my_books(ale, patron_ale):
    """Ale's child has borrowed one book and waits second in the queue for another; a third
    book they have nothing to do with."""
    borrowed = licensed_book("Lånad")
    queued = licensed_book("Köad", copies=1)
    services.borrow(another_child(ale), queued.pk)
    services.place_hold(another_child(ale), queued.pk)
    loan, _created = services.borrow(patron_ale, borrowed.pk)
    hold, _created = services.place_hold(patron_ale, queued.pk)
    return {"loan": loan, "hold": hold, "other": licensed_book("Annan")}


def v2_feed(client, library, card, path="books") -> dict[str, dict]:
    response = client.get(
        f"/opds/v2/libraries/{library.pk}/{path}", HTTP_AUTHORIZATION=basic(*card)
    )
    assert response.status_code == 200
    feed = json.loads(response.content)
    if settings.SHARED_DIR.exists():
        assert_valid("feed", feed)
    return {pub["metadata"]["title"]: pub for pub in feed["publications"]}


def v1_entries(client, library, card) -> dict[str, etree._Element]:
    response = client.get(f"/opds/v1/libraries/{library.pk}/books", HTTP_AUTHORIZATION=basic(*card))
    assert response.status_code == 200
    feed = etree.fromstring(response.content)
    return {entry.findtext(f"{ATOM}title"): entry for entry in feed.iter(f"{ATOM}entry")}


def test_v2_catalogue_feed_shows_my_loan_and_my_hold(client, ale_library, card_ale, my_books):
    publications = v2_feed(client, ale_library, card_ale)
    loan, hold = my_books["loan"], my_books["hold"]

    borrowed = rels(publications["Lånad"])
    assert BORROW not in borrowed  # nothing left to borrow
    assert borrowed[ACQUISITION]["properties"]["availability"] == {
        "state": "available",
        "since": loan.borrowed_at.isoformat(),
        "until": loan.due_at.isoformat(),
    }
    assert borrowed[REVOKE]["href"].endswith(f"/books/{loan.book_id}/revoke")

    queued = rels(publications["Köad"])
    for rel in (BORROW, ACQUISITION):
        properties = queued[rel]["properties"]
        assert properties["availability"] == {
            "state": "reserved",
            "since": hold.placed_at.isoformat(),
        }
        assert properties["holds"] == {"total": 2, "position": 2}
        assert properties["copies"] == {"total": 1, "available": 0}
    assert REVOKE in queued

    untouched = rels(publications["Annan"])
    assert "availability" not in untouched[BORROW]["properties"]
    assert "properties" not in untouched[ACQUISITION]
    assert REVOKE not in untouched


def test_v2_publication_and_start_page_show_my_loan(client, ale_library, card_ale, my_books):
    book_id = my_books["loan"].book_id
    response = client.get(
        f"/opds/v2/libraries/{ale_library.pk}/books/{book_id}",
        HTTP_AUTHORIZATION=basic(*card_ale),
    )
    links = rels(response.json())
    assert links[ACQUISITION]["properties"]["availability"]["state"] == "available"
    assert BORROW not in links


def test_v1_catalogue_feed_shows_my_loan_and_my_hold(client, ale_library, card_ale, my_books):
    entries = v1_entries(client, ale_library, card_ale)
    loan, hold = my_books["loan"], my_books["hold"]

    borrowed = atom_rels(entries["Lånad"])
    assert BORROW not in borrowed
    availability = borrowed[ACQUISITION].find(f"{OPDS}availability")
    assert dict(availability.attrib) == {
        "status": "available",
        "since": loan.borrowed_at.isoformat(),
        "until": loan.due_at.isoformat(),
    }
    assert REVOKE in borrowed

    queued = atom_rels(entries["Köad"])
    borrow = queued[BORROW]
    assert borrow.find(f"{OPDS}indirectAcquisition") is not None
    assert dict(borrow.find(f"{OPDS}availability").attrib) == {
        "status": "reserved",
        "since": hold.placed_at.isoformat(),
    }
    assert dict(borrow.find(f"{OPDS}holds").attrib) == {"total": "2", "position": "2"}
    assert dict(borrow.find(f"{OPDS}copies").attrib) == {"total": "1", "available": "0"}

    untouched = atom_rels(entries["Annan"])
    assert untouched[BORROW].find(f"{OPDS}availability") is None
    assert REVOKE not in untouched


def test_another_child_sees_none_of_my_loans_or_holds(client, ale_library, my_books):
    from bibblix.patrons.services import add_local_card

    add_local_card(ale_library, "20000002", "4321")
    publications = v2_feed(client, ale_library, ("20000002", "4321"))
    for title in ("Lånad", "Köad", "Annan"):
        links = rels(publications[title])
        assert "availability" not in links[BORROW]["properties"]
        assert REVOKE not in links


def test_the_national_feed_shows_no_ones_loans(client, my_books):
    feed = client.get("/opds/v2/books").json()
    for publication in feed["publications"]:
        assert REVOKE not in rels(publication)
        assert "availability" not in rels(publication)[BORROW]["properties"]


def test_my_state_costs_the_same_queries_for_many_books(
    client, ale_library, card_ale, my_books, patron_ale
):
    url = f"/opds/v2/libraries/{ale_library.pk}/books"
    auth = basic(*card_ale)
    client.get(url, HTTP_AUTHORIZATION=auth)  # the session starts: later requests skip the PIN

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, HTTP_AUTHORIZATION=auth).status_code == 200
        return len(captured)

    queries()  # the first after login also refreshes the session
    few = queries()
    for number in range(20):
        book = licensed_book(f"Bok {number}")
        if number % 5 == 0:
            services.borrow(patron_ale, book.pk)
    assert queries() == few
