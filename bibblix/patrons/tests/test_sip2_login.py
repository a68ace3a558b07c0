"""A child logs in through SIP2 against the test server, for every case, via the login page."""

import time

import pytest

from bibblix.demo.sip2_testserver import dead_port
from bibblix.patrons.models import Patron
from bibblix.patrons.services import SESSION_KEY, authenticate

from .conftest import PIN


def post_login(client, library, card, pin):
    return client.post(
        f"/login/?municipality={library.municipality_id}",
        {"library": library.pk, "card": card, "pin": pin},
    )


def test_valid_card_and_pin_log_the_child_in(client, sip2_server, sip2_library, ale_library):
    sip2_library(sip2_server())
    response = post_login(client, ale_library, "30000001", PIN)
    assert response.status_code == 302
    patron = Patron.objects.get()
    assert client.session[SESSION_KEY] == str(patron.public_id)
    assert patron.library == ale_library


@pytest.mark.parametrize(
    "card,pin",
    [("30000001", "0000"), ("39999999", PIN), ("30000004", PIN), ("30000005", PIN)],
    ids=["wrong PIN", "unknown card", "blank CQ", "missing CQ"],
)
def test_refusals_get_the_same_text_that_does_not_say_which_was_wrong(
    client, sip2_server, sip2_library, ale_library, card, pin
):
    sip2_library(sip2_server())
    response = post_login(client, ale_library, card, pin)
    assert response.status_code == 401
    assert "Fel lånekortsnummer eller PIN-kod" in response.content.decode()
    assert not Patron.objects.exists()


@pytest.mark.parametrize("card", ["30000002", "30000003"], ids=["charge denied", "card lost"])
def test_blocked_card_is_told_to_ask_at_the_library(
    client, sip2_server, sip2_library, ale_library, card
):
    sip2_library(sip2_server())
    response = post_login(client, ale_library, card, PIN)
    assert response.status_code == 401
    assert "Fråga på biblioteket" in response.content.decode()
    assert not Patron.objects.exists()


def test_library_limited_to_childrens_cards_refuses_an_adult(
    client, sip2_server, sip2_library, ale_library
):
    sip2_library(sip2_server(), allowed_patron_classes="BARN")
    response = post_login(client, ale_library, "30000006", PIN)
    assert response.status_code == 401
    assert "Bibblix är till för barn" in response.content.decode()
    assert post_login(client, ale_library, "30000001", PIN).status_code == 302


@pytest.mark.parametrize("mode", ["garbled", "bad_checksum", "slow", "refuse_login"])
def test_library_system_trouble_gives_a_clear_message_quickly(
    client, sip2_server, sip2_library, ale_library, mode
):
    sip2_library(sip2_server(mode), timeout_seconds=0.5)
    started = time.monotonic()
    response = post_login(client, ale_library, "30000001", PIN)
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert "Bibliotekets system svarar inte just nu" in response.content.decode()


def test_dead_library_system_is_unavailable(client, sip2_library, ale_library):
    sip2_library(port=dead_port())
    response = post_login(client, ale_library, "30000001", PIN)
    assert response.status_code == 503


def test_default_timeout_keeps_a_slow_system_under_five_seconds(
    sip2_server, sip2_library, ale_library
):
    sip2_library(sip2_server("slow"), timeout_seconds=4.0)
    started = time.monotonic()
    assert authenticate(ale_library, "30000001", PIN).reason == "unavailable"
    assert time.monotonic() - started < 5


def test_patron_status_message_works_too(sip2_server, sip2_library, ale_library):
    server = sip2_server()
    sip2_library(server, message="23")
    assert authenticate(ale_library, "30000001", PIN).ok
    assert authenticate(ale_library, "30000001", "0000").reason == "invalid"
    assert "23" in server.state.received and "63" not in server.state.received


def test_card_number_with_spaces_is_the_same_patron(sip2_server, sip2_library, ale_library):
    sip2_library(sip2_server())
    first = authenticate(ale_library, "30000001", PIN).patron
    second = authenticate(ale_library, "3000 0001", PIN).patron
    assert first == second
