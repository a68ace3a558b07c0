"""Mina lån in a reading app: a library catalogue's shelf feed lists the child's active loans,
each with its read link and the day the loan ends."""

import datetime
import json

import pytest
import time_machine
from lxml import etree

from bibblix.lending import services

from .app import ACQUISITION, ATOM, OPDS, SHELF
from .helpers import another_child, basic, licensed_book, maybe_valid

pytestmark = pytest.mark.django_db


def acquisition(publication: dict) -> dict:
    [link] = [item for item in publication["links"] if item.get("rel") == ACQUISITION]
    return link


def test_library_root_links_the_shelf(client, ale_library, card_ale):
    root = client.get(
        f"/opds/v2/libraries/{ale_library.pk}/", HTTP_AUTHORIZATION=basic(*card_ale)
    ).json()
    shelf_url = f"http://testserver/opds/v2/libraries/{ale_library.pk}/loans"
    [entry] = [entry for entry in root["navigation"] if entry["rel"] == SHELF]
    assert (entry["href"], entry["title"]) == (shelf_url, "Mina lån")
    assert any(link["rel"] == SHELF and link["href"] == shelf_url for link in root["links"])
    maybe_valid("feed", root)


def test_v1_library_root_links_the_shelf(client, ale_library, card_ale):
    response = client.get(
        f"/opds/v1/libraries/{ale_library.pk}/", HTTP_AUTHORIZATION=basic(*card_ale)
    )
    feed = etree.fromstring(response.content)
    hrefs = {link.get("href") for link in feed.iter(f"{ATOM}link") if link.get("rel") == SHELF}
    assert hrefs == {f"http://testserver/opds/v1/libraries/{ale_library.pk}/loans"}


def test_national_root_has_no_shelf(client):
    root = client.get("/opds/v2/").json()
    assert all(link.get("rel") != SHELF for link in root["links"] + root["navigation"])


def test_the_shelf_lists_only_this_childs_active_loans(
    client, ale, ale_library, card_ale, patron_ale
):
    mine, returned, others = (
        licensed_book("Min bok"),
        licensed_book("Tillbakalämnad"),
        licensed_book("Annans"),
    )
    loan, _created = services.borrow(patron_ale, mine.pk)
    old, _created = services.borrow(patron_ale, returned.pk)
    services.return_loan(patron_ale, old.pk)
    services.borrow(another_child(ale), others.pk)
    with time_machine.travel(loan.borrowed_at - datetime.timedelta(days=40)):
        early = licensed_book("Gammalt lån")
        services.borrow(patron_ale, early.pk)  # ended long ago, never closed
    response = client.get(
        f"/opds/v2/libraries/{ale_library.pk}/loans", HTTP_AUTHORIZATION=basic(*card_ale)
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/opds+json")
    assert "no-cache" in response["Cache-Control"]
    feed = json.loads(response.content)
    maybe_valid("feed", feed)
    assert feed["metadata"]["title"] == "Mina lån"
    [publication] = feed["publications"]
    assert publication["metadata"]["title"] == "Min bok"
    link = acquisition(publication)
    assert link["href"] == f"http://testserver/read/{mine.pk}/manifest.json"
    assert link["properties"]["availability"]["until"] == loan.due_at.isoformat()


def test_an_empty_shelf_is_still_a_valid_feed(client, ale_library, card_ale):
    feed = client.get(
        f"/opds/v2/libraries/{ale_library.pk}/loans", HTTP_AUTHORIZATION=basic(*card_ale)
    ).json()
    maybe_valid("feed", feed)
    assert "publications" not in feed
    assert feed["metadata"]["numberOfItems"] == 0


def test_the_shelf_needs_the_card(client, ale_library):
    response = client.get(f"/opds/v2/libraries/{ale_library.pk}/loans")
    assert response.status_code == 401
    assert "http://opds-spec.org/auth/document" in response["Link"]


def test_the_atom_shelf_lists_the_loans_with_their_end(client, ale_library, card_ale, patron_ale):
    book = licensed_book("Min bok")
    loan, _created = services.borrow(patron_ale, book.pk)
    response = client.get(
        f"/opds/v1/libraries/{ale_library.pk}/loans", HTTP_AUTHORIZATION=basic(*card_ale)
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml;profile=opds-catalog")
    feed = etree.fromstring(response.content)
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Min bok"
    [link] = [link for link in entry.iter(f"{ATOM}link") if link.get("rel") == ACQUISITION]
    assert link.find(f"{OPDS}availability").get("until") == loan.due_at.isoformat()


def test_a_library_catalogue_page_lists_borrow_links_to_the_opds_endpoint(
    client, ale_library, card_ale
):
    book = licensed_book("Lånebok")
    feed = client.get(
        f"/opds/v1/libraries/{ale_library.pk}/books", HTTP_AUTHORIZATION=basic(*card_ale)
    )
    root = etree.fromstring(feed.content)
    [borrow] = [
        link
        for link in root.iter(f"{ATOM}link")
        if link.get("rel") == "http://opds-spec.org/acquisition/borrow"
    ]
    assert borrow.get("href") == (
        f"http://testserver/opds/v1/libraries/{ale_library.pk}/books/{book.pk}/borrow"
    )
    assert borrow.get("type") == "application/atom+xml;type=entry;profile=opds-catalog"
