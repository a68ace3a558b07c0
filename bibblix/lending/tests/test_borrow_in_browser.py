"""A child on a phone logs in, borrows from the book page, finds it on Mina böcker, returns it."""

import pytest

from bibblix.lending.models import Loan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_child_borrows_reads_link_and_returns_on_a_phone(phone, ale, card_ale, make_book):
    book = make_book("Draken i skolan")
    phone.goto(f"/login/?municipality={ale.pk}&next=/books/{book.pk}/")
    phone.get_by_label("Lånekortsnummer").fill(card_ale[0])
    phone.get_by_label("PIN-kod").fill(card_ale[1])
    phone.get_by_role("button", name="Logga in").click()
    phone.wait_for_url(f"**/books/{book.pk}/")

    borrow = phone.get_by_role("button", name="Låna", exact=True)
    box = borrow.bounding_box()
    assert box["height"] >= 44  # a large touch target
    borrow.dblclick()  # a double tap
    read = phone.get_by_role("link", name="Läs", exact=True)
    read.wait_for()
    assert read.get_attribute("href") == f"/read/{book.pk}/"
    assert Loan.objects.filter(book=book).count() == 1

    phone.get_by_role("link", name="Mina böcker").click()
    phone.wait_for_url("**/my/")
    item = phone.locator(".loan-card[data-loan]", has_text="Draken i skolan")
    assert "28 dagar kvar" in item.inner_text()
    item.locator("summary", has_text="Lämna tillbaka").click()  # asks once
    item.get_by_role("button", name="Ja, lämna tillbaka").click()
    phone.get_by_text("Du har lämnat tillbaka").wait_for()
    assert phone.locator(".loan-card[data-loan]", has_text="Draken i skolan").count() == 0
    assert Loan.objects.get().returned_at is not None


def test_my_books_works_at_200_percent_text_size(phone, child_in_browser):
    phone.goto("/my/")
    # Through the CSSOM: the site's CSP refuses an inline <style> (add_style_tag).
    phone.evaluate("document.documentElement.style.setProperty('font-size', '200%', 'important')")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing runs off the side of the phone
