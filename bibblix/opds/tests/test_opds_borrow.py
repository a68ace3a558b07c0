"""A reading app borrows from a library's OPDS catalogue with the child's card (HTTP Basic) and
gets the publication back, whose acquisition link now leads to the readable manifest."""

import json

import pytest
from django.core.files.base import ContentFile
from lxml import etree

from bibblix.demo.generated_books import make_epub
from bibblix.lending.models import Loan

from .app import ACQUISITION, ATOM, BORROW, OPDS
from .helpers import basic, licensed_book, maybe_valid

pytestmark = pytest.mark.django_db


def rel(document: dict, name: str) -> dict:
    [link] = [item for item in document["links"] if item.get("rel") == name]
    return link


def borrow_url(library, book, version="v2") -> str:
    return f"/opds/{version}/libraries/{library.pk}/books/{book.pk}/borrow"


def test_borrowing_with_the_card_creates_a_loan_and_answers_the_publication(
    client, ale_library, card_ale, book
):
    response = client.post(borrow_url(ale_library, book), HTTP_AUTHORIZATION=basic(*card_ale))
    assert response.status_code == 201
    assert response["Content-Type"].startswith("application/opds-publication+json")
    assert response["Cache-Control"] == "no-store"
    publication = json.loads(response.content)
    maybe_valid("publication", publication)
    assert not [link for link in publication["links"] if link.get("rel") == BORROW]
    acquisition = rel(publication, ACQUISITION)
    manifest = f"http://testserver/read/{book.pk}/manifest.json"
    assert acquisition["href"] == manifest == response["Location"]
    assert acquisition["type"] == "application/webpub+json"
    loan = Loan.objects.get(book=book)
    assert acquisition["properties"]["availability"] == {
        "state": "available",
        "since": loan.borrowed_at.isoformat(),
        "until": loan.due_at.isoformat(),
    }


def test_borrowing_twice_answers_the_same_loan_with_200(client, ale_library, card_ale, book):
    url = borrow_url(ale_library, book)
    assert client.post(url, HTTP_AUTHORIZATION=basic(*card_ale)).status_code == 201
    assert client.post(url, HTTP_AUTHORIZATION=basic(*card_ale)).status_code == 200
    # An OPDS 1.2 app follows the link with GET: still the same loan.
    assert client.get(url, HTTP_AUTHORIZATION=basic(*card_ale)).status_code == 200
    assert Loan.objects.filter(book=book).count() == 1


def test_the_weekly_rule_answers_409_in_swedish(client, ale_library, card_ale):
    books = [licensed_book(f"Bok {n}") for n in range(6)]
    for book in books[:5]:
        url = borrow_url(ale_library, book)
        assert client.post(url, HTTP_AUTHORIZATION=basic(*card_ale)).status_code == 201
    response = client.post(borrow_url(ale_library, books[5]), HTTP_AUTHORIZATION=basic(*card_ale))
    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")
    problem = json.loads(response.content)
    assert problem["rule"] == "weekly_limit"
    assert problem["status"] == 409
    assert problem["detail"].startswith("Du har lånat 5 böcker de senaste 7 dagarna.")
    assert Loan.objects.filter(book=books[5]).count() == 0


def test_without_a_card_the_app_gets_401_with_the_auth_document(client, ale_library, book):
    response = client.post(borrow_url(ale_library, book))
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/opds-authentication+json")
    assert 'rel="http://opds-spec.org/auth/document"' in response["Link"]
    assert response["WWW-Authenticate"].startswith("Basic realm=")
    assert not Loan.objects.exists()


def test_a_wrong_pin_gets_401_and_no_loan(client, ale_library, card_ale, book):
    response = client.post(
        borrow_url(ale_library, book), HTTP_AUTHORIZATION=basic(card_ale[0], "0000")
    )
    assert response.status_code == 401
    assert not Loan.objects.exists()


def test_the_session_cookie_alone_does_not_borrow(client, ale_library, card_ale, book):
    # Log in through a feed (starts a session), then try to borrow with the cookie only.
    client.get(f"/opds/v2/libraries/{ale_library.pk}/", HTTP_AUTHORIZATION=basic(*card_ale))
    assert client.post(borrow_url(ale_library, book)).status_code == 401
    assert not Loan.objects.exists()


def test_a_request_started_by_another_website_is_refused(client, ale_library, card_ale, book):
    response = client.post(
        borrow_url(ale_library, book),
        HTTP_AUTHORIZATION=basic(*card_ale),
        HTTP_SEC_FETCH_SITE="cross-site",
    )
    assert response.status_code == 403
    assert not Loan.objects.exists()


def test_an_unknown_book_is_404(client, ale_library, card_ale):
    url = f"/opds/v2/libraries/{ale_library.pk}/books/999999/borrow"
    assert client.post(url, HTTP_AUTHORIZATION=basic(*card_ale)).status_code == 404


def test_borrowing_from_an_atom_app_answers_an_entry(client, ale_library, card_ale, book):
    response = client.get(borrow_url(ale_library, book, "v1"), HTTP_AUTHORIZATION=basic(*card_ale))
    assert response.status_code == 201
    assert response["Content-Type"].startswith("application/atom+xml;type=entry")
    entry = etree.fromstring(response.content)
    links = {link.get("rel"): link for link in entry.iter(f"{ATOM}link")}
    assert BORROW not in links
    acquisition = links[ACQUISITION]
    assert acquisition.get("href") == f"http://testserver/read/{book.pk}/manifest.json"
    availability = acquisition.find(f"{OPDS}availability")
    assert availability.get("status") == "available"
    assert availability.get("until") == Loan.objects.get(book=book).due_at.isoformat()


def test_an_app_goes_from_the_library_root_to_the_readable_manifest(client, ale_library, card_ale):
    book = licensed_book("Draken i Ale", language="sv")
    book.epub.save("drake.epub", ContentFile(make_epub(3, "Draken i Ale", "Omar Lind")))
    card = basic(*card_ale)
    root = client.get(f"/opds/v2/libraries/{ale_library.pk}/", HTTP_AUTHORIZATION=card).json()
    books = next(entry for entry in root["navigation"] if entry["href"].endswith("/books"))
    feed = client.get(books["href"], HTTP_AUTHORIZATION=card).json()
    maybe_valid("feed", feed)
    [listed] = feed["publications"]
    publication = client.get(rel(listed, "self")["href"], HTTP_AUTHORIZATION=card).json()
    borrow = rel(publication, BORROW)
    assert borrow["type"] == "application/opds-publication+json"
    assert borrow["properties"]["indirectAcquisition"] == [{"type": "application/webpub+json"}]
    borrowed = client.post(borrow["href"], HTTP_AUTHORIZATION=card)
    assert borrowed.status_code == 201
    manifest_url = rel(borrowed.json(), ACQUISITION)["href"]
    # The app keeps the session cookie the first Basic login started, as browsers do.
    manifest = client.get(manifest_url)
    assert manifest.status_code == 200
    assert manifest.json()["metadata"]["title"] == "Draken i Ale"


def test_national_catalogue_borrow_links_lead_to_the_library_choice(client, book):
    publication = client.get(f"/opds/v2/books/{book.pk}").json()
    borrow = rel(publication, BORROW)
    assert borrow["href"] == "http://testserver/opds/v2/libraries/"
    assert borrow["type"] == "application/opds+json"
    maybe_valid("publication", publication)
