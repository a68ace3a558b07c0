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


def test_staff_add_a_local_card_with_number_and_pin_that_are_only_hashed(
    client, municipality_admin_ale, ale_library
):
    from bibblix.patrons.models import LocalCard
    from bibblix.patrons.services import authenticate

    client.force_login(municipality_admin_ale)
    response = client.post(
        "/staff/patrons/localcard/add/",
        {"library": ale_library.pk, "card": "40000001", "pin": "2468", "is_child": "on"},
    )
    assert response.status_code == 302
    local = LocalCard.objects.get()
    assert "40000001" not in local.card_hash and "2468" not in local.pin_hash
    assert authenticate(ale_library, "40000001", "2468").ok


def test_municipality_staff_cannot_add_cards_to_another_municipality(
    client, municipality_admin_ale, boras
):
    client.force_login(municipality_admin_ale)
    response = client.post(
        "/staff/patrons/localcard/add/",
        {"library": boras.libraries.get().pk, "card": "40000001", "pin": "2468"},
    )
    assert response.status_code == 200  # the form refuses the other municipality's library
    from bibblix.patrons.models import LocalCard

    assert not LocalCard.objects.exists()


def test_test_connection_button_on_the_providers_page(
    client, municipality_admin_ale, sip2_server, sip2_library
):
    provider = sip2_library(sip2_server())
    client.force_login(municipality_admin_ale)
    page = client.get(f"/staff/patrons/loginprovider/{provider.pk}/change/").content.decode()
    button_url = f"/staff/patrons/loginprovider/{provider.pk}/test-connection/"
    assert button_url in page
    response = client.post(button_url, follow=True)
    assert "anslutningen fungerar" in response.content.decode()


def test_test_connection_button_is_not_reachable_for_another_municipality(
    client, librarian_boras, sip2_server, sip2_library
):
    provider = sip2_library(sip2_server())
    client.force_login(librarian_boras)
    response = client.post(f"/staff/patrons/loginprovider/{provider.pk}/test-connection/")
    assert response.status_code == 404


def test_municipality_admin_sets_up_sip2_in_the_staff_area(
    client, municipality_admin_ale, ale_library
):
    client.force_login(municipality_admin_ale)
    data = {
        "library": ale_library.pk,
        "kind": "sip2",
        "host": "sip.ale.example",
        "port": "6001",
        "verify_tls": "on",
        "sc_user": "bibblix",
        "sc_password": "s3cret",
        "message": "63",
        "encoding": "utf-8",
        "error_detection": "on",
        "timeout_seconds": "4",
        "pool_size": "4",
        "patron_class_field": "PC",
        "birth_date_field": "PB",
        "card_characters": "digits",
        "card_min_length": "4",
        "card_max_length": "20",
        "pin_characters": "digits",
        "pin_min_length": "4",
        "pin_max_length": "16",
    }
    response = client.post("/staff/patrons/loginprovider/add/", data)
    assert response.status_code == 302
    provider = LoginProvider.objects.get()
    assert (provider.host, provider.sc_password) == ("sip.ale.example", "s3cret")
    data["timeout_seconds"] = "30"  # a child must never wait that long
    data["library"] = ale_library.pk
    response = client.post(f"/staff/patrons/loginprovider/{provider.pk}/change/", data)
    assert response.status_code == 200
    assert LoginProvider.objects.get().timeout_seconds == 4
