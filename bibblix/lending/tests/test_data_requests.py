"""Staff export (JSON) or delete everything about one library card on a guardian's request;
the card number is hashed as at login and never reaches the audit trail (issue 13)."""

import json

import pytest

from bibblix.audit.models import AuditEntry
from bibblix.lending import services
from bibblix.lending.models import Bookmark, Loan
from bibblix.patrons.models import Patron

URL = "/staff/patrons/patron/data-request/"


@pytest.fixture
def reading_child(patron_ale, book):
    services.borrow(patron_ale, book.pk)
    Bookmark.objects.create(patron=patron_ale, book=book, locator="epubcfi(/6/2)", label="Drake")
    return patron_ale


def form(ale, card, **extra):
    return {"municipality": ale.pk, "card": card, "reason": "Vårdnadshavare, 2 mars", **extra}


def test_the_association_exports_a_cards_data_as_json(
    client, coordinator, ale, card_ale, reading_child, book
):
    client.force_login(coordinator)
    response = client.post(URL, {**form(ale, f" {card_ale[0]} "), "export": "1"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["account"]["public_id"] == str(reading_child.public_id)
    assert [loan["book"] for loan in data["loans"]] == [book.title]
    assert data["bookmarks"][0]["label"] == "Drake"
    entry = AuditEntry.objects.get(action="data exported")
    assert entry.user == coordinator and card_ale[0] not in json.dumps(entry.changes)
    assert card_ale[0] not in entry.object_repr + entry.reason


def test_the_association_deletes_everything_about_a_card(
    client, coordinator, ale, card_ale, reading_child
):
    client.force_login(coordinator)
    response = client.post(URL, {**form(ale, card_ale[0]), "delete": "1", "confirm_delete": "on"})
    assert response.status_code == 302
    assert not Patron.objects.exists()
    assert not Loan.objects.exists() and not Bookmark.objects.exists()
    assert AuditEntry.objects.get(action="data deleted").reason == "Vårdnadshavare, 2 mars"


def test_delete_needs_the_confirmation_box(client, coordinator, ale, card_ale, reading_child):
    client.force_login(coordinator)
    response = client.post(URL, {**form(ale, card_ale[0]), "delete": "1"})
    assert response.status_code == 200
    assert Patron.objects.exists()


def test_an_unknown_card_gets_a_clear_answer(client, coordinator, ale, reading_child):
    client.force_login(coordinator)
    response = client.post(URL, {**form(ale, "99999999"), "export": "1"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("persona", ["librarian_ale", "municipality_admin_ale", "economist"])
def test_only_the_association_handles_data_requests(
    client, request, persona, ale, card_ale, reading_child
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    response = client.post(URL, {**form(ale, card_ale[0]), "delete": "1", "confirm_delete": "on"})
    assert response.status_code == 403
    assert Patron.objects.exists()
