import pytest

from .builders import make_book, make_theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def books():
    animals = make_theme("djur", "Djur")
    return [
        make_book(
            "Pippi Långstrump",
            authors=("Astrid Lindgren",),
            themes=[animals],
            age_min=6,
            age_max=9,
            cover_renditions={"160": "covers/p-160.jpg", "320": "covers/p-320.jpg"},
        ),
        make_book("Emil i Lönneberga", authors=("Astrid Lindgren",), language="en"),
    ]


def test_search_api_finds_books_with_a_typo_and_gives_cover_urls(client, books):
    body = client.get("/api/v1/books", {"q": "pipi långstrump"}).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["title"] == "Pippi Långstrump" and item["authors"] == ["Astrid Lindgren"]
    assert item["cover"] == "http://testserver/media/covers/p-320.jpg"
    assert item["covers"]["160"] == "http://testserver/media/covers/p-160.jpg"
    assert item["themes"] == ["djur"] and item["url"].endswith(f"/books/{books[0].pk}/")


def test_search_api_filters_and_paginates(client, books):
    for number in range(30):
        make_book(f"Extrabok {number}")
    assert client.get("/api/v1/books", {"language": "en"}).json()["count"] == 1
    assert client.get("/api/v1/books", {"theme": "djur", "age": 7}).json()["count"] == 1
    first = client.get("/api/v1/books").json()
    second = client.get("/api/v1/books", {"page": 2}).json()
    assert first["count"] == 32 and len(first["items"]) == 24 and len(second["items"]) == 8


def test_search_api_refuses_unknown_length(client, books):
    assert client.get("/api/v1/books", {"length": "huge"}).status_code == 422


def test_book_api_gives_details_and_hides_withdrawn_books(client, books):
    body = client.get(f"/api/v1/books/{books[0].pk}").json()
    assert body["contributors"] == [{"name": "Astrid Lindgren", "role": "author"}]
    books[1].is_withdrawn = True
    books[1].save()
    assert client.get(f"/api/v1/books/{books[1].pk}").status_code == 404
