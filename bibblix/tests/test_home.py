import datetime

import pytest

from bibblix.catalogue.models import Book
from bibblix.members.models import ConnectionEvent


@pytest.fixture
def featured_book(db):
    return Book.objects.create(
        title="Draken i Ale", is_featured=True, description="En bok om en drake."
    )


def test_home_lists_connected_municipalities_and_featured_books(client, ale, boras, featured_book):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="sv")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Var bor du?" in content
    assert ">Ale<" in content and ">Borås<" in content
    assert "Draken i Ale" in content


def test_home_leaves_out_a_municipality_whose_connection_has_ended(client, ale, boras):
    ConnectionEvent.objects.create(
        organisation=boras,
        state=ConnectionEvent.State.ENDED,
        effective_date=datetime.date(2021, 1, 1),
    )
    content = client.get("/").content.decode()
    assert ">Ale<" in content
    assert ">Borås<" not in content


def test_withdrawn_books_are_not_featured(client, featured_book):
    featured_book.is_withdrawn = True
    featured_book.save()
    assert "Draken i Ale" not in client.get("/").content.decode()


def test_english_switch(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert "Where do you live?" in response.content.decode()


def test_openapi_document_is_served(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Bibblix API"


def test_swedish_even_when_the_browser_asks_for_english(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Var bor du?" in response.content.decode()
    assert response.content.decode().count('lang="sv"') >= 1
