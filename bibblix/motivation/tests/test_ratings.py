"""Three faces, one per child and book, changeable, only after finishing; totals on the book page."""

import json

from bibblix.motivation import services
from bibblix.motivation.models import Rating


def test_a_rating_is_one_per_child_and_book_and_changeable(child, make_book, read_book):
    book = make_book()
    read_book(child.patron, book)
    url = f"/api/v1/ratings/{book.pk}"
    answer = child.put(url, json.dumps({"rating": 3}), content_type="application/json")
    assert answer.status_code == 200 and answer.json()["totals"] == {"3": 1, "2": 0, "1": 0}
    answer = child.put(url, json.dumps({"rating": 1}), content_type="application/json")
    assert answer.json() == {"book": book.pk, "rating": 1, "totals": {"3": 0, "2": 0, "1": 1}}
    assert Rating.objects.count() == 1


def test_a_book_not_finished_cannot_be_rated(child, make_book):
    book = make_book()
    answer = child.put(
        f"/api/v1/ratings/{book.pk}", json.dumps({"rating": 2}), content_type="application/json"
    )
    assert answer.status_code == 409 and answer.json()["rule"] == "not_finished"


def test_bad_ratings_get_a_4xx(child, make_book, read_book):
    book = make_book()
    read_book(child.patron, book)
    for body in ({"rating": 4}, {"rating": "x"}, {}):
        answer = child.put(
            f"/api/v1/ratings/{book.pk}", json.dumps(body), content_type="application/json"
        )
        assert answer.status_code == 422
    answer = child.put("/api/v1/ratings/999999", '{"rating": 2}', content_type="application/json")
    assert answer.status_code == 404
    assert child.post(f"/ratings/{book.pk}/", {"rating": "nine"}).status_code == 400
    assert child.post(f"/ratings/{book.pk}/", {"rating": "7"}).status_code == 400
    assert child.post("/ratings/999999/", {"rating": "2"}).status_code == 404


def test_book_page_shows_faces_after_finishing_and_the_totals(child, make_book, read_book):
    book = make_book()
    page = child.get(f"/books/{book.pk}/").content.decode()
    assert 'name="rating"' not in page and "face-3" in page
    read_book(child.patron, book)
    assert child.post(f"/ratings/{book.pk}/", {"rating": "3"}).status_code == 302
    page = child.get(f"/books/{book.pk}/").content.decode()
    assert 'name="rating" value="3" class="face-button" aria-pressed="true"' in page
    assert services.rating_totals(book.pk) == {3: 1, 2: 0, 1: 0}
