import pytest

from bibblix.catalogue.models import Book

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_child_on_a_phone_sees_municipalities_and_featured_books(phone, ale, boras):
    Book.objects.create(title="Draken i Ale", is_featured=True)
    phone.goto("/")
    assert phone.get_by_role("heading", name="Var bor du?").is_visible()
    assert phone.get_by_role("button", name="Ale", exact=True).is_visible()
    assert phone.get_by_text("Draken i Ale").is_visible()
    # Search as you type narrows the list.
    phone.get_by_label("Sök efter din kommun").fill("bor")
    assert phone.get_by_role("button", name="Borås").is_visible()
    assert not phone.get_by_role("button", name="Ale", exact=True).is_visible()
    # Nothing overflows sideways on a phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
