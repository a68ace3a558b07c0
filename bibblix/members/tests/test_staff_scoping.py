from bibblix.members.models import Organisation
from bibblix.patrons.models import Patron


def test_librarian_of_boras_sees_nothing_of_ale(client, librarian_boras, patron_ale, ale):
    client.force_login(librarian_boras)
    assert client.get("/staff/patrons/patron/").status_code == 200
    listing = client.get("/staff/patrons/patron/").content.decode()
    assert str(patron_ale.public_id)[:8] not in listing
    assert client.get(f"/staff/patrons/patron/{patron_ale.pk}/change/").status_code in {302, 404}
    assert client.get(f"/staff/members/organisation/{ale.pk}/change/").status_code in {302, 404}


def test_librarian_of_ale_sees_ale_patrons(client, librarian_ale, patron_ale):
    client.force_login(librarian_ale)
    assert str(patron_ale.public_id)[:8] in client.get("/staff/patrons/patron/").content.decode()


def test_coordinator_sees_every_municipality(client, coordinator, ale, boras):
    client.force_login(coordinator)
    listing = client.get("/staff/members/organisation/").content.decode()
    assert "Ale" in listing and "Borås" in listing
    assert Organisation.objects.count() == 2


def test_municipality_admin_cannot_change_roles(client, municipality_admin_ale):
    client.force_login(municipality_admin_ale)
    assert client.get("/staff/members/staffprofile/").status_code == 403


def test_patron_rows_hold_no_card_number(patron_ale, card_ale):
    row = Patron.objects.values().get(pk=patron_ale.pk)
    assert card_ale[0] not in str(row)
