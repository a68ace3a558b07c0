"""The SIP password and the terminal password never reach a browser, whoever looks."""

import pytest

from bibblix.patrons.models import LoginProvider
from bibblix.patrons.services import set_login_provider

SIP_SECRET = "sip-Secret-9137"
TERMINAL_SECRET = "term-Secret-5521"


@pytest.fixture
def provider(ale_library):
    return set_login_provider(
        ale_library,
        "sip2",
        host="sip.ale.example",
        port=6001,
        sc_user="bibblix",
        sc_password=SIP_SECRET,
        terminal_password=TERMINAL_SECRET,
    )


def change_page(client, user, provider) -> str:
    client.force_login(user)
    response = client.get(f"/staff/patrons/loginprovider/{provider.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def test_view_only_librarian_sees_that_secrets_are_set_but_not_the_secrets(
    client, librarian_ale, provider
):
    page = change_page(client, librarian_ale, provider)
    assert SIP_SECRET not in page
    assert TERMINAL_SECRET not in page
    assert "angivet (visas inte)" in page  # "set", in place of the secret


def test_view_only_librarian_sees_when_a_secret_is_not_set(client, librarian_ale, provider):
    LoginProvider.objects.filter(pk=provider.pk).update(terminal_password="")
    page = change_page(client, librarian_ale, provider)
    assert "inte angivet" in page


def test_change_form_does_not_echo_either_secret_to_an_admin(
    client, municipality_admin_ale, coordinator, provider
):
    for user in [municipality_admin_ale, coordinator]:
        page = change_page(client, user, provider)
        assert SIP_SECRET not in page
        assert TERMINAL_SECRET not in page


def test_empty_terminal_password_keeps_the_stored_one_and_a_new_one_replaces_it(
    client, municipality_admin_ale, provider
):
    client.force_login(municipality_admin_ale)
    url = f"/staff/patrons/loginprovider/{provider.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(sc_password="", terminal_password="", library=provider.library_id, _save="1")
    for flag in ["use_tls", "verify_tls", "error_detection"]:
        if not data.get(flag):
            data.pop(flag, None)
    assert client.post(url, data).status_code == 302
    stored = LoginProvider.objects.get()
    assert (stored.sc_password, stored.terminal_password) == (SIP_SECRET, TERMINAL_SECRET)
    data["terminal_password"] = "new-terminal"
    assert client.post(url, data).status_code == 302
    assert LoginProvider.objects.get().terminal_password == "new-terminal"
