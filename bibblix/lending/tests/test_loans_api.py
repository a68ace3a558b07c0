import datetime

import time_machine

from bibblix.lending import services
from bibblix.lending.models import Loan, LoanPolicy

NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


def test_api_needs_a_logged_in_child(client, book):
    assert client.get("/api/v1/loans").status_code == 401
    assert (
        client.post("/api/v1/loans", {"book": book.pk}, content_type="application/json").status_code
        == 401
    )


@time_machine.travel(NOW, tick=False)
def test_borrow_answers_201_with_the_loan_and_200_on_a_second_tap(child, book):
    first = child.post("/api/v1/loans", {"book": book.pk}, content_type="application/json")
    assert first.status_code == 201
    body = first.json()
    assert set(body) == {"id", "book", "title", "borrowed_at", "due_at", "days_left"}
    assert (body["book"], body["title"], body["days_left"]) == (book.pk, book.title, 28)
    again = child.post("/api/v1/loans", {"book": book.pk}, content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Loan.objects.count() == 1
    assert [loan["id"] for loan in child.get("/api/v1/loans").json()] == [body["id"]]


@time_machine.travel(NOW, tick=False)
def test_refused_loan_answers_409_with_a_swedish_text_and_the_rule(child, ale, make_book):
    LoanPolicy.objects.create(municipality=ale, weekly_limit=1)
    child.post("/api/v1/loans", {"book": make_book("Ett").pk}, content_type="application/json")
    response = child.post(
        "/api/v1/loans", {"book": make_book("Två").pk}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["rule"] == "weekly_limit"
    assert "de senaste 7 dagarna" in response.json()["detail"]


@time_machine.travel(NOW, tick=False)
def test_unknown_book_answers_404(child):
    response = child.post("/api/v1/loans", {"book": 999999}, content_type="application/json")
    assert response.status_code == 404


@time_machine.travel(NOW, tick=False)
def test_return_answers_204_and_another_childs_loan_is_not_found(
    child, ale, make_patron, book, make_book
):
    own = child.post("/api/v1/loans", {"book": book.pk}, content_type="application/json").json()
    other, _ = services.borrow(make_patron(ale), make_book("Annans").pk)
    assert child.delete(f"/api/v1/loans/{other.pk}").status_code == 404
    assert child.delete(f"/api/v1/loans/{own['id']}").status_code == 204
    assert child.delete(f"/api/v1/loans/{own['id']}").status_code == 204  # idempotent
    assert child.get("/api/v1/loans").json() == []
    other.refresh_from_db()
    assert other.returned_at is None


@time_machine.travel(NOW, tick=False)
def test_holds_api_places_lists_and_cancels(child, ale, make_patron, make_book):
    book = make_book("Populär", copies=1)
    services.borrow(make_patron(ale), book.pk)
    refused = child.post("/api/v1/loans", {"book": book.pk}, content_type="application/json")
    assert (refused.status_code, refused.json()["rule"]) == (409, "no_copy")
    placed = child.post("/api/v1/holds", {"book": book.pk}, content_type="application/json")
    assert placed.status_code == 201
    hold = placed.json()
    assert (hold["book"], hold["position"]) == (book.pk, 1)
    assert child.get("/api/v1/holds").json() == [hold]
    assert child.delete(f"/api/v1/holds/{hold['id']}").status_code == 204
    assert child.get("/api/v1/holds").json() == []


@time_machine.travel(NOW, tick=False)
def test_hold_on_a_free_book_answers_409(child, make_book):
    book = make_book("Ledig", copies=3)
    response = child.post("/api/v1/holds", {"book": book.pk}, content_type="application/json")
    assert (response.status_code, response.json()["rule"]) == (409, "hold_not_needed")


def test_another_childs_hold_is_not_found(child, ale, make_patron, make_book):
    book = make_book("Populär", copies=1)
    services.borrow(make_patron(ale), book.pk)
    hold, _ = services.place_hold(make_patron(ale), book.pk)
    assert child.delete(f"/api/v1/holds/{hold.pk}").status_code == 404
