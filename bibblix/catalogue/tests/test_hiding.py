"""Only the association hides a book from children, with a reason in the audit trail; shelves
never hide books (issue 13)."""

import pytest
from django.core.exceptions import PermissionDenied

from bibblix.audit.models import AuditEntry
from bibblix.catalogue.models import Shelf, ShelfEntry
from bibblix.catalogue.services import children_books, hide_from_children, show_to_children

from .builders import make_book

pytestmark = pytest.mark.django_db


def test_the_association_hides_a_book_and_the_audit_trail_says_who_and_why(coordinator):
    book = make_book("Testbok")
    assert hide_from_children(book, coordinator, "Testfil för läsaren")
    assert list(children_books()) == []
    entry = AuditEntry.objects.get(action="hidden")
    assert (entry.user, entry.object_id, entry.reason) == (
        coordinator,
        str(book.pk),
        "Testfil för läsaren",
    )
    assert entry.changes == {"is_hidden_from_children": [False, True]}
    assert show_to_children(book, coordinator, "Klar")
    assert list(children_books()) == [book]
    assert AuditEntry.objects.filter(action="shown").count() == 1


@pytest.mark.parametrize("persona", ["librarian_ale", "municipality_admin_ale", "economist"])
def test_municipality_staff_and_economy_cannot_hide_a_book(persona, request):
    book = make_book("Boken")
    with pytest.raises(PermissionDenied):
        hide_from_children(book, request.getfixturevalue(persona), "Vill inte")
    book.refresh_from_db()
    assert not book.is_hidden_from_children
    assert not AuditEntry.objects.exists()


def test_hiding_needs_a_reason(coordinator):
    with pytest.raises(ValueError):
        hide_from_children(make_book("Boken"), coordinator, "  ")


def test_a_municipality_shelf_not_for_children_hides_no_book(ale):
    book = make_book("Boken")
    shelf = Shelf.objects.create(
        slug="intern", name="Intern", municipality=ale, is_for_children=False
    )
    ShelfEntry.objects.create(shelf=shelf, book=book)
    assert list(children_books()) == [book]


def test_an_empty_internal_shelf_hides_nothing():
    books = [make_book("A-bok"), make_book("B-bok")]
    Shelf.objects.create(slug="tom", name="Tom", is_for_children=False)
    assert list(children_books().order_by("title")) == books


def test_the_admin_action_hides_with_a_reason(client, coordinator):
    book = make_book("Testbok")
    client.force_login(coordinator)
    url = "/staff/catalogue/book/"
    form = {"action": "hide_from_children", "_selected_action": [book.pk]}
    page = client.post(url, form)
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    client.post(url, {**form, "apply": "1", "reason": "Testfil"})
    book.refresh_from_db()
    assert book.is_hidden_from_children
    assert AuditEntry.objects.get(action="hidden").reason == "Testfil"


def test_a_librarian_is_not_offered_the_hide_action(client, librarian_ale):
    book = make_book("Boken")
    client.force_login(librarian_ale)
    url = "/staff/catalogue/book/"
    client.post(
        url,
        {
            "action": "hide_from_children",
            "_selected_action": [book.pk],
            "apply": "1",
            "reason": "x",
        },
    )
    book.refresh_from_db()
    assert not book.is_hidden_from_children
