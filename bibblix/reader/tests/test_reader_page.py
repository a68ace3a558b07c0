from django.urls import reverse

from bibblix.reader import pwa
from bibblix.reader.security import reader_csp

from .conftest import return_loan


def test_borrowed_book_opens_in_the_reader(child, loan):
    response = child.get(f"/read/{loan.book_id}/")
    assert response.status_code == 200
    assert b"foliate" in response.content or b"reader.js" in response.content
    assert response["X-Bibblix-Loan-Due"] == loan.due_at.isoformat()


def test_reader_page_has_a_strict_content_security_policy(child, loan):
    policy = child.get(f"/read/{loan.book_id}/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    script_src = directives["script-src"].split()
    assert script_src[0] == "'self'"
    assert all(source.startswith("'sha256-") for source in script_src[1:])
    assert "'unsafe-inline'" not in script_src and "blob:" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert directives["object-src"] == "'none'"
    assert "blob:" in directives["frame-src"]


def test_site_wide_policy_leaves_the_readers_own_policies_alone(child, loan):
    # The site's policy (bibblix/lib/csp.py) has no blob: frames and no import map hash.
    page = child.get(f"/read/{loan.book_id}/")
    assert page["Content-Security-Policy"] == reader_csp((pwa.import_map_hash(),))
    assert child.get("/read/")["Content-Security-Policy"] == reader_csp()


def test_book_not_borrowed_sends_the_child_to_the_book_page(child, book):
    response = child.get(f"/read/{book.pk}/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("catalogue:book", args=[book.pk])
    assert "Låna boken först" in response.content.decode()


def test_returned_loan_no_longer_opens(child, loan):
    return_loan(loan)
    response = child.get(f"/read/{loan.book_id}/")
    assert response.status_code == 302


def test_visitor_without_card_may_try_a_free_book(client, make_book):
    book = make_book(is_free_to_try=True)
    response = client.get(f"/read/{book.pk}/")
    assert response.status_code == 200
    assert "X-Bibblix-Loan-Due" not in response


def test_visitor_without_card_is_refused_other_books(client, book):
    response = client.get(f"/read/{book.pk}/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("catalogue:book", args=[book.pk])
    assert "Logga in" in response.content.decode()


def test_withdrawn_book_does_not_open_even_with_a_loan(child, loan):
    loan.book.is_withdrawn = True
    loan.book.save()
    assert child.get(f"/read/{loan.book_id}/").status_code == 302


def test_unknown_book_goes_home(child):
    response = child.get("/read/999999/")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
