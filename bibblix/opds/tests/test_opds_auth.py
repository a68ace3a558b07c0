"""A library's OPDS catalogue asks for that library's card (HTTP Basic) and describes the login in
an Authentication for OPDS 1.0 document; the national catalogue needs no login."""

import json
import logging

import pytest
from django.conf import settings

from .helpers import assert_valid, basic, make_book

pytestmark = pytest.mark.django_db
AUTH_TYPE = "application/opds-authentication+json"


def maybe_valid(kind, document):
    if settings.SHARED_DIR.exists():
        assert_valid(kind, document)


@pytest.fixture
def book(db):
    return make_book()


def test_library_catalogue_without_card_answers_401_with_the_auth_document(client, ale_library):
    response = client.get(f"/opds/v2/libraries/{ale_library.pk}/")
    assert response.status_code == 401
    assert response["Content-Type"].startswith(AUTH_TYPE)
    assert response["WWW-Authenticate"].startswith("Basic realm=")
    auth_url = f"http://testserver/opds/libraries/{ale_library.pk}/auth"
    assert response["Link"] == (
        f'<{auth_url}>; rel="http://opds-spec.org/auth/document"; type="{AUTH_TYPE}"'
    )
    document = json.loads(response.content)
    maybe_valid("authentication", document)
    assert document["id"] == auth_url
    [flow] = document["authentication"]
    assert flow["type"] == "http://opds-spec.org/auth/basic"
    assert flow["labels"] == {"login": "Lånekortsnummer", "password": "PIN-kod"}


def test_v1_library_catalogue_also_asks_for_the_card(client, ale_library):
    assert client.get(f"/opds/v1/libraries/{ale_library.pk}/books").status_code == 401


def test_valid_card_opens_the_library_catalogue(client, ale_library, card_ale, book):
    response = client.get(
        f"/opds/v2/libraries/{ale_library.pk}/books", HTTP_AUTHORIZATION=basic(*card_ale)
    )
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    feed = json.loads(response.content)
    maybe_valid("feed", feed)
    rels = {link["rel"]: link["href"] for link in feed["links"]}
    assert rels["http://opds-spec.org/auth/document"].endswith(
        f"/opds/libraries/{ale_library.pk}/auth"
    )
    assert rels["self"] == f"http://testserver/opds/v2/libraries/{ale_library.pk}/books"
    [publication] = feed["publications"]
    assert publication["links"][0]["href"] == (
        f"http://testserver/opds/v2/libraries/{ale_library.pk}/books/{book.pk}"
    )


def test_wrong_pin_is_challenged_again(client, ale_library, card_ale):
    response = client.get(
        f"/opds/v2/libraries/{ale_library.pk}/", HTTP_AUTHORIZATION=basic(card_ale[0], "9999")
    )
    assert response.status_code == 401


def test_another_librarys_card_does_not_open_ale(client, ale_library, boras):
    from bibblix.patrons.services import add_local_card

    add_local_card(boras.libraries.get(), "30000001", "4321")
    response = client.get(
        f"/opds/v2/libraries/{ale_library.pk}/", HTTP_AUTHORIZATION=basic("30000001", "4321")
    )
    assert response.status_code == 401


def test_blocked_card_is_refused_in_swedish(client, ale_library):
    from bibblix.patrons.services import add_local_card

    add_local_card(ale_library, "20000002", "1234", is_blocked=True)
    response = client.get(
        f"/opds/v2/libraries/{ale_library.pk}/", HTTP_AUTHORIZATION=basic("20000002", "1234")
    )
    assert response.status_code == 403
    assert "Fråga på ditt bibliotek" in json.loads(response.content)["detail"]


def test_library_of_a_municipality_not_connected_is_not_found(client, make_municipality):
    municipality = make_municipality("Mölndal", "1481", connected_since=None)
    library = municipality.libraries.get()
    assert client.get(f"/opds/v2/libraries/{library.pk}/").status_code == 404
    assert client.get(f"/opds/libraries/{library.pk}/auth").status_code == 404


def test_logged_in_app_is_not_asked_for_the_pin_on_every_feed(
    client, ale_library, card_ale, monkeypatch
):
    from bibblix.patrons import services as patrons

    calls = []
    real = patrons.authenticate
    monkeypatch.setattr(patrons, "authenticate", lambda *a: calls.append(1) or real(*a))
    for _ in range(3):
        response = client.get(
            f"/opds/v2/libraries/{ale_library.pk}/", HTTP_AUTHORIZATION=basic(*card_ale)
        )
        assert response.status_code == 200
    assert len(calls) == 1


def test_session_of_another_card_does_not_stand_in_for_a_wrong_pin(client, ale_library, card_ale):
    from bibblix.patrons.services import add_local_card

    url = f"/opds/v2/libraries/{ale_library.pk}/"
    assert client.get(url, HTTP_AUTHORIZATION=basic(*card_ale)).status_code == 200
    add_local_card(ale_library, "20000003", "5555")
    assert client.get(url, HTTP_AUTHORIZATION=basic("20000003", "0000")).status_code == 401


def test_card_and_pin_never_reach_the_logs(client, ale_library, card_ale, caplog):
    caplog.set_level(logging.DEBUG)
    url = f"/opds/v2/libraries/{ale_library.pk}/"
    client.get(url, HTTP_AUTHORIZATION=basic(card_ale[0], "9876"))
    client.get(url, HTTP_AUTHORIZATION=basic(*card_ale))
    assert card_ale[0] not in caplog.text and "9876" not in caplog.text


def test_national_catalogue_needs_no_login(client, ale_library, book):
    assert client.get("/opds/v2/books").status_code == 200
    assert client.get("/opds/v1/").status_code == 200


def test_service_auth_document_leads_to_the_library_choice(client, ale_library):
    response = client.get("/opds/auth")
    assert response["Content-Type"].startswith(AUTH_TYPE)
    document = json.loads(response.content)
    maybe_valid("authentication", document)
    starts = [link["href"] for link in document["links"] if link["rel"] == "start"]
    assert "http://testserver/opds/v2/libraries/" in starts


def test_library_auth_document_is_public_and_valid(client, ale_library):
    response = client.get(f"/opds/libraries/{ale_library.pk}/auth")
    assert response.status_code == 200
    document = json.loads(response.content)
    maybe_valid("authentication", document)
    assert document["title"] == f"Bibblix – {ale_library}"


def test_library_list_offers_each_connected_library(client, ale_library, boras, make_municipality):
    make_municipality("Mölndal", "1481", connected_since=None)
    feed = json.loads(client.get("/opds/v2/libraries/").content)
    maybe_valid("feed", feed)
    titles = [entry["title"] for entry in feed["navigation"]]
    assert titles == ["Ale bibliotek", "Borås bibliotek"]
    v1 = client.get("/opds/v1/libraries/")
    assert b"Ale bibliotek" in v1.content and "Mölndal".encode() not in v1.content


def test_library_catalogue_borrows_through_its_own_endpoint_and_links_the_shelf(
    client, ale_library, card_ale, book
):
    base = f"http://testserver/opds/v2/libraries/{ale_library.pk}/"
    response = client.get(f"{base}books/{book.pk}", HTTP_AUTHORIZATION=basic(*card_ale))
    publication = json.loads(response.content)
    maybe_valid("publication", publication)
    links = {link["rel"]: link for link in publication["links"]}
    borrow = links["http://opds-spec.org/acquisition/borrow"]
    assert borrow["href"] == f"{base}books/{book.pk}/borrow"
    assert borrow["type"] == "application/opds-publication+json"
    feed = json.loads(client.get(f"{base}books", HTTP_AUTHORIZATION=basic(*card_ale)).content)
    maybe_valid("feed", feed)
    shelf = [link for link in feed["links"] if link["rel"] == "http://opds-spec.org/shelf"]
    assert [link["href"] for link in shelf] == [f"{base}loans"]


def test_many_wrong_cards_through_opds_slow_the_address_everywhere(client, ale_library):
    from django.core.cache import cache

    cache.clear()
    url = f"/opds/v2/libraries/{ale_library.pk}/books"
    statuses = [
        client.get(url, HTTP_AUTHORIZATION=basic(f"9{number:07d}", "0000")).status_code
        for number in range(31)
    ]
    assert statuses[:30] == [401] * 30
    assert statuses[30] == 429
    # The login API counts the same address.
    response = client.post(
        "/api/v1/session",
        {"library": ale_library.pk, "card": "98765432", "pin": "0000"},
        content_type="application/json",
    )
    assert response.status_code == 429
    cache.clear()
