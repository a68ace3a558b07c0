"""Staff configure login providers in the staff area, see only their own, and test them."""

from bibblix.patrons.models import LoginProvider
from bibblix.patrons.services import set_login_provider

from .conftest import SC_PASSWORD


def test_librarian_of_another_municipality_sees_no_provider_of_ale(
    client, librarian_boras, ale_library
):
    provider = set_login_provider(ale_library, "sip2", host="sip.ale.example", port=6001)
    client.force_login(librarian_boras)
    listing = client.get("/staff/patrons/loginprovider/")
    assert "sip.ale.example" not in listing.content.decode()
    assert client.get(f"/staff/patrons/loginprovider/{provider.pk}/change/").status_code in {
        302,
        404,
    }


def test_test_connection_action_reports_a_working_library_system(
    client, coordinator, sip2_server, sip2_library
):
    provider = sip2_library(sip2_server())
    client.force_login(coordinator)
    response = client.post(
        "/staff/patrons/loginprovider/",
        {"action": "test_connection", "_selected_action": [provider.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "anslutningen fungerar" in text


def test_test_connection_action_reports_a_refused_sip_account(
    client, coordinator, sip2_server, sip2_library
):
    provider = sip2_library(sip2_server("refuse_login"))
    client.force_login(coordinator)
    response = client.post(
        "/staff/patrons/loginprovider/",
        {"action": "test_connection", "_selected_action": [provider.pk]},
        follow=True,
    )
    assert "anslutningen misslyckades" in response.content.decode()


def test_sip_password_is_not_shown_and_kept_when_left_empty(
    client, municipality_admin_ale, sip2_server, sip2_library
):
    provider = sip2_library(sip2_server())
    client.force_login(municipality_admin_ale)
    page = client.get(f"/staff/patrons/loginprovider/{provider.pk}/change/")
    assert page.status_code == 200
    assert SC_PASSWORD not in page.content.decode()
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(sc_password="", library=provider.library_id, _save="1")
    for flag in ["use_tls", "verify_tls", "error_detection"]:
        if not data.get(flag):
            data.pop(flag, None)
    response = client.post(f"/staff/patrons/loginprovider/{provider.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert LoginProvider.objects.get().sc_password == SC_PASSWORD
