"""Librarian curation in the staff area: scoped shelves, read-only catalogue for municipality
staff, and an audit row for every change."""

import pytest

from bibblix.audit.models import AuditEntry
from bibblix.catalogue.models import Book, Shelf, ShelfEntry
from bibblix.catalogue.services import children_books, featured_books, withdraw_book

from .builders import make_book

pytestmark = pytest.mark.django_db


def book_form(book: Book, **changes) -> dict:
    data = {
        "title": book.title,
        "subtitle": "",
        "description": book.description,
        "content_note": "",
        "age_min": book.age_min,
        "age_max": book.age_max,
        "language": book.language,
        "layout": book.layout,
        "licence_model": book.licence_model,
        "licence_copies": book.licence_copies,
        "isbn": book.isbn,
        "series": "",
        "publisher": "",
        "cover_url": "",
        "reading_level": "",
        "book_contributors-TOTAL_FORMS": "0",
        "book_contributors-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_coordinator_edits_a_book_and_the_change_is_audited(client, coordinator):
    book = make_book("Gammal titel")
    client.force_login(coordinator)
    response = client.post(
        f"/staff/catalogue/book/{book.pk}/change/",
        book_form(book, title="Ny titel", available_until="2027-06-30"),
    )
    assert response.status_code == 302
    change = AuditEntry.objects.get(action="changed")
    assert change.user == coordinator
    assert change.changes["title"] == ["Gammal titel", "Ny titel"]
    assert change.changes["available_until"] == [None, "2027-06-30"]


def test_invalid_isbn_is_refused_and_a_valid_one_normalised(client, coordinator):
    book = make_book("Boken")
    client.force_login(coordinator)
    url = f"/staff/catalogue/book/{book.pk}/change/"
    response = client.post(url, book_form(book, isbn="978-91-29-68831-4"))
    assert response.status_code == 200 and "inget giltigt ISBN" in response.content.decode()
    client.post(url, book_form(book, isbn="91-29-68831-0"))
    book.refresh_from_db()
    assert book.isbn == "9789129688313"


def test_licence_window_that_ends_before_it_starts_is_refused(client, coordinator):
    book = make_book("Boken")
    client.force_login(coordinator)
    response = client.post(
        f"/staff/catalogue/book/{book.pk}/change/",
        book_form(book, available_from="2027-01-01", available_until="2026-01-01"),
    )
    assert "Licensperioden slutar innan den börjar" in response.content.decode()


def test_withdraw_action_hides_the_book_and_is_audited(client, coordinator):
    book = make_book("Boken")
    client.force_login(coordinator)
    client.post("/staff/catalogue/book/", {"action": "withdraw", "_selected_action": [book.pk]})
    book.refresh_from_db()
    assert book.is_withdrawn
    assert AuditEntry.objects.filter(action="withdrawn", user=coordinator).count() == 1


def test_librarian_sees_books_but_cannot_change_them(client, librarian_ale):
    book = make_book("Boken")
    client.force_login(librarian_ale)
    assert client.get(f"/staff/catalogue/book/{book.pk}/change/").status_code == 200
    client.post(f"/staff/catalogue/book/{book.pk}/change/", book_form(book, title="Hack"))
    book.refresh_from_db()
    assert book.title == "Boken"


def test_librarian_makes_a_shelf_for_their_own_municipality(client, librarian_ale, ale):
    book = make_book("Boken")
    client.force_login(librarian_ale)
    response = client.post(
        "/staff/catalogue/shelf/add/",
        {
            "slug": "ale-sommar",
            "name": "Sommarläsning i Ale",
            "symbol": "☀️",
            "description": "",
            "is_for_children": "on",
            "sort_order": "5",
            "entries-TOTAL_FORMS": "1",
            "entries-INITIAL_FORMS": "0",
            "entries-0-book": book.pk,
            "entries-0-position": "0",
        },
    )
    assert response.status_code == 302
    shelf = Shelf.objects.get(slug="ale-sommar")
    assert shelf.municipality == ale and list(shelf.books.all()) == [book]
    actions = set(AuditEntry.objects.filter(user=librarian_ale).values_list("action", flat=True))
    assert actions == {"created", "changed"}


def test_librarian_of_boras_never_reaches_ale_or_national_shelves(client, librarian_boras, ale):
    ale_shelf = Shelf.objects.create(slug="ale", name="Ales hylla", municipality=ale)
    national = Shelf.objects.create(slug="veckans-tips", name="Veckans tips")
    client.force_login(librarian_boras)
    listing = client.get("/staff/catalogue/shelf/").content.decode()
    assert "Ales hylla" not in listing and "Veckans tips" not in listing
    for shelf in (ale_shelf, national):
        assert client.get(f"/staff/catalogue/shelf/{shelf.pk}/change/").status_code in {302, 404}


def test_audit_trail_is_read_only_and_scoped(client, coordinator, librarian_boras):
    withdraw_book(make_book("Boken"), coordinator)
    client.force_login(coordinator)
    assert "Boken" in client.get("/staff/audit/auditentry/").content.decode()
    change = AuditEntry.objects.get()
    assert client.get("/staff/audit/auditentry/add/").status_code == 403
    detail = client.post(f"/staff/audit/auditentry/{change.pk}/change/", {})
    assert detail.status_code in {200, 403}
    assert AuditEntry.objects.get().object_repr == "Boken"
    client.force_login(librarian_boras)
    assert "Boken" not in client.get("/staff/audit/auditentry/").content.decode()


def test_featured_books_follow_the_weekly_tips_shelf_and_skip_test_books():
    tips = Shelf.objects.create(slug="veckans-tips", name="Veckans tips")
    second, first = make_book("B-bok"), make_book("A-bok")
    ShelfEntry.objects.create(shelf=tips, book=first, position=1)
    ShelfEntry.objects.create(shelf=tips, book=second, position=0)
    make_book("Testbok", is_featured=True, is_hidden_from_children=True)
    other = make_book("Utvald", is_featured=True)
    assert featured_books(limit=3) == [second, first, other]


def test_an_empty_internal_shelf_hides_no_book(client):
    visible = make_book("Synlig bok")
    Shelf.objects.create(slug="tom-intern", name="Tom intern hylla", is_for_children=False)
    assert list(children_books()) == [visible]
    assert client.get(f"/books/{visible.pk}/").status_code == 200


def test_a_hidden_book_has_no_page_beside_an_empty_internal_shelf(client):
    visible, hidden = make_book("Synlig bok"), make_book("Testbok", is_hidden_from_children=True)
    Shelf.objects.create(slug="tom-intern", name="Tom intern hylla", is_for_children=False)
    assert list(children_books()) == [visible]
    assert client.get(f"/books/{hidden.pk}/").status_code == 404
