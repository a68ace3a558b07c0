import datetime

import time_machine

from bibblix.lending import services
from bibblix.lending.models import Loan

NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


def test_my_books_needs_a_login(client):
    response = client.get("/my/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@time_machine.travel(NOW, tick=False)
def test_my_books_shows_loans_with_days_left_and_a_read_link(child, book):
    services.borrow(child.patron, book.pk)
    page = child.get("/my/").content.decode()
    assert book.title in page
    assert f'href="/read/{book.pk}/"' in page
    assert "28 dagar kvar" in page


def test_book_page_offers_borrow_to_a_child_and_login_to_others(client, child, book):
    assert "Låna" in child.get(f"/books/{book.pk}/").content.decode()
    anonymous = client.__class__().get(f"/books/{book.pk}/").content.decode()
    assert "Logga in för att låna" in anonymous


@time_machine.travel(NOW, tick=False)
def test_double_submitted_borrow_form_makes_one_loan(child, book):
    for _ in range(2):
        response = child.post(f"/my/books/{book.pk}/borrow/", HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert f'href="/read/{book.pk}/"' in response.content.decode()
    assert Loan.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_book_page_shows_the_place_a_child_would_get_in_the_queue(
    child, ale, make_patron, make_book
):
    book = make_book("Populär", copies=1)
    services.borrow(make_patron(ale), book.pk)
    services.place_hold(make_patron(ale), book.pk)
    assert "Ställ dig i kö (plats 2)" in child.get(f"/books/{book.pk}/").content.decode()
    response = child.post(f"/my/books/{book.pk}/hold/", HTTP_HX_REQUEST="true")
    assert "plats 2" in response.content.decode()


def test_book_page_offers_the_queue_when_the_free_copy_waits_for_the_queue(
    child, copy_kept_for_the_queue
):
    page = child.get(f"/books/{copy_kept_for_the_queue.pk}/").content.decode()
    assert "Ställ dig i kö (plats 2)" in page


@time_machine.travel(NOW, tick=False)
def test_refusal_is_shown_in_swedish_on_the_book_page(child, ale, make_patron, make_book):
    book = make_book("Populär", copies=1)
    services.borrow(make_patron(ale), book.pk)
    response = child.post(f"/my/books/{book.pk}/borrow/", HTTP_HX_REQUEST="true")
    assert "Ställ dig i kö" in response.content.decode()
    assert "någon annan läser" in response.content.decode().lower()


@time_machine.travel(NOW, tick=False)
def test_return_from_my_books(child, book):
    loan, _ = services.borrow(child.patron, book.pk)
    response = child.post(f"/my/loans/{loan.pk}/return/")
    assert response.status_code == 302
    assert not services.has_active_loan(child.patron, book)


def test_favourite_toggles_and_shows_on_my_books(child, book):
    child.post(f"/my/books/{book.pk}/favourite/")
    assert book.title in child.get("/my/").content.decode()
    child.post(f"/my/books/{book.pk}/favourite/")
    assert not services.is_favourite(child.patron, book.pk)


@time_machine.travel(NOW, tick=False)
def test_explicitly_finished_book_shows_on_my_books(child, book):
    services.borrow(child.patron, book.pk)
    child.post(f"/my/books/{book.pk}/finished/")
    assert services.finished_books(child.patron).get().book == book


def test_nav_shows_my_books_only_to_a_logged_in_child(client, child, book):
    assert 'href="/my/"' in child.get(f"/books/{book.pk}/").content.decode()
    assert 'href="/my/"' not in client.__class__().get(f"/books/{book.pk}/").content.decode()


def test_return_of_another_childs_loan_is_not_found(child, ale, make_patron, book):
    loan, _ = services.borrow(make_patron(ale), book.pk)
    assert child.post(f"/my/loans/{loan.pk}/return/").status_code == 404
