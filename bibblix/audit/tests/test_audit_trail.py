"""One audit trail for every app: who, when, what before and after, why; read-only, kept forever,
scoped to the municipality for its staff, and shown on each object's history page."""

import pytest

from bibblix.audit.models import AuditEntry
from bibblix.audit.services import history_for, record_change
from bibblix.catalogue.models import Shelf

pytestmark = pytest.mark.django_db


def test_record_keeps_who_what_before_after_and_why(coordinator, ale):
    entry = record_change(
        coordinator,
        AuditEntry.Action.APPROVED,
        ale,
        {"state": ["draft", "approved"]},
        reason="Styrelsebeslut 12 mars",
        municipality_id=ale.pk,
    )
    entry.refresh_from_db()
    assert (entry.username, entry.app_label, entry.model) == (
        "coordinator",
        "members",
        "organisation",
    )
    assert entry.changes == {"state": ["draft", "approved"]}
    assert entry.reason == "Styrelsebeslut 12 mars"
    assert list(history_for(ale)) == [entry]


def test_entries_can_be_neither_changed_nor_deleted(coordinator, ale):
    entry = record_change(coordinator, "changed", ale)
    entry.reason = "rewritten"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.update(reason="x")
    assert AuditEntry.objects.get().reason == ""


def test_who_is_kept_after_the_user_account_is_deleted(coordinator, ale):
    record_change(coordinator, "changed", ale)
    coordinator.delete()
    entry = AuditEntry.objects.get()
    assert entry.user_id is None and entry.username == "coordinator"


def test_municipality_staff_see_only_their_municipality_in_the_trail(
    client, coordinator, librarian_ale, librarian_boras, ale, boras
):
    record_change(
        coordinator, "changed", ale, {"name": ["Ale", "Ale kommun"]}, municipality_id=ale.pk
    )
    record_change(coordinator, "changed", boras, {"name": ["Borås", "B"]}, municipality_id=boras.pk)
    client.force_login(librarian_ale)
    page = client.get("/staff/audit/auditentry/").content.decode()
    assert str(ale) in page and str(boras) not in page
    client.force_login(coordinator)
    page = client.get("/staff/audit/auditentry/").content.decode()
    assert str(ale) in page and str(boras) in page


def test_an_objects_history_page_shows_its_trail(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        "/staff/catalogue/shelf/add/",
        {
            "slug": "sommar",
            "name": "Sommarläsning",
            "sort_order": 1,
            "is_for_children": "on",
            "entries-TOTAL_FORMS": 0,
            "entries-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    shelf = Shelf.objects.get(slug="sommar")
    page = client.get(f"/staff/catalogue/shelf/{shelf.pk}/history/").content.decode()
    assert 'id="audit-history"' in page and "coordinator" in page
    assert "<td>Skapad</td>" in page  # the action, translated


def test_the_trail_shows_labels_and_kronor_not_field_names_and_ore(client, coordinator):
    from bibblix.insights.models import BudgetLine

    line = BudgetLine.objects.create(
        year=2026, quarter=1, kind="cost", label="Licenser", amount_ore=100_000
    )
    record_change(coordinator, "changed", line, {"amount_ore": [100_000, 1_234_550]})
    client.force_login(coordinator)
    for url in (f"/staff/insights/budgetline/{line.pk}/history/", "/staff/audit/auditentry/"):
        page = client.get(url).content.decode()
        if "history" in url:
            assert "belopp (kr, exklusive moms)" in page
            assert "1\u00a0000,00\u00a0kr → 12\u00a0345,50\u00a0kr" in page
            assert "amount_ore" not in page and "1234550" not in page
        else:
            assert "Ändrad" in page and "budgetrad" in page.lower()
            assert "Uppföljning" in page and ">insights<" not in page  # the area, by name
    entry = AuditEntry.objects.get(model="budgetline")
    page = client.get(f"/staff/audit/auditentry/{entry.pk}/change/").content.decode()
    assert "12\u00a0345,50\u00a0kr" in page and "1234550" not in page


def test_connection_steps_are_in_the_audit_trail(coordinator, make_municipality):
    import datetime

    from bibblix.members import services

    lerum = make_municipality("Lerum", "1441", connected_since=None)
    services.register_application(lerum, datetime.date(2026, 1, 10), "Ansökan inkom", coordinator)
    entry = history_for(lerum).get()
    assert entry.action == "connection: application"
    assert entry.reason == "Ansökan inkom" and entry.username == "coordinator"
    assert entry.municipality_id == lerum.pk


def test_other_recorded_verbs_read_in_swedish(coordinator, ale):
    approve = record_change(coordinator, "approve", ale)
    exported = record_change(coordinator, "data exported", ale)
    odd = record_change(coordinator, "connection: application", ale)
    assert (approve.action_label, exported.action_label) == ("Godkänd", "Uppgifter lämnade ut")
    assert odd.action_label == "connection: application"  # unknown verbs as recorded
    assert "Godkänd" in str(approve)
