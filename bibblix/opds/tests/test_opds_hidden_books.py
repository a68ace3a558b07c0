"""OPDS shows children what the web shows them: no internal test theme in either root, no
hidden book in "all books" or as a publication."""

import json

import pytest

from .helpers import make_book, make_theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden(db):
    tests = make_theme("testbocker", "Testböcker", "🧪")
    animals = make_theme("djur", "Djur", "🐾")
    make_book("Synlig bok", themes=[animals])
    return make_book("Testbok", themes=[tests, animals], is_hidden_from_children=True)


def test_internal_theme_is_in_neither_opds_root(client, hidden):
    v2 = client.get("/opds/v2/").content.decode()
    v1 = client.get("/opds/v1/").content.decode()
    for body in (v1, v2):
        assert "themes/djur" in body
        assert "testbocker" not in body and "Testböcker" not in body
    assert client.get("/opds/v2/themes/testbocker").status_code == 404


def test_hidden_book_is_not_counted_or_served_by_opds(client, hidden):
    assert client.get(f"/books/{hidden.pk}/").status_code == 404
    feed = json.loads(client.get("/opds/v2/books").content)
    assert feed["metadata"]["numberOfItems"] == 1
    assert [p["metadata"]["title"] for p in feed["publications"]] == ["Synlig bok"]
    assert client.get(f"/opds/v2/books/{hidden.pk}").status_code == 404
    assert client.get(f"/opds/v1/books/{hidden.pk}").status_code == 404
    animals = json.loads(client.get("/opds/v2/themes/djur").content)
    assert animals["metadata"]["numberOfItems"] == 1
