"""SIP2 input is refused, not cleaned: a card or PIN outside the library's format never reaches the
library system, the codec refuses delimiters, and every attempt counts for the card's lockout."""

import datetime

import pytest
import time_machine

from bibblix.patrons.models import LoginProvider, Patron
from bibblix.patrons.providers.sip2 import codec
from bibblix.patrons.services import authenticate

from .conftest import PIN

START = datetime.datetime(2026, 11, 25, 18, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize("value", ["47|11", "4711\r", "4711\n", "47\x0011"])
def test_codec_refuses_delimiters_and_nul_instead_of_stripping(value):
    with pytest.raises(codec.FieldError):
        codec.build("63", "001", [("AA", "30000001"), ("AD", value)])


def test_codec_refuses_a_character_the_encoding_cannot_carry():
    with pytest.raises(codec.FieldError):
        codec.build("63", "001", [("AA", "3000\u20ac")], encoding="latin-1")


def test_pin_with_a_bar_does_not_log_in_as_the_pin_without_it(
    sip2_server, sip2_library, ale_library
):
    server = sip2_server()
    sip2_library(server)
    result = authenticate(ale_library, "30000001", PIN[:2] + "|" + PIN[2:])
    assert result.reason == "invalid"
    assert not Patron.objects.exists()
    assert "63" not in server.state.received  # nothing was asked of the library system


@pytest.mark.parametrize(
    "card,pin",
    [
        ("30000001|", PIN),
        ("30000001\r", PIN),
        ("3000\x000001", PIN),
        ("30000001AO", PIN),
        ("١٢٣٤٥٦٧٨", PIN),  # Arabic-Indic digits are not the card's digits
        ("30000001", "47 11"),
        ("30000001", "471"),  # shorter than the shortest PIN
        ("3" * 21, PIN),  # longer than the longest card
    ],
)
def test_card_or_pin_outside_the_format_never_reaches_the_library_system(
    sip2_server, sip2_library, ale_library, card, pin
):
    server = sip2_server()
    sip2_library(server)
    assert authenticate(ale_library, card, pin).reason == "invalid"
    assert "63" not in server.state.received


def test_card_ending_in_a_bar_counts_against_the_card_for_lockout(
    sip2_server, sip2_library, ale_library
):
    server = sip2_server()
    sip2_library(server)
    with time_machine.travel(START, tick=False):
        reasons = [authenticate(ale_library, "30000001|", "0000").reason for _ in range(5)]
        assert reasons == ["invalid"] * 4 + ["locked"]
        assert authenticate(ale_library, "30000001", PIN).reason == "locked"
    assert "63" not in server.state.received


def test_spaces_and_dashes_in_a_card_are_still_fine(sip2_server, sip2_library, ale_library):
    sip2_library(sip2_server())
    assert authenticate(ale_library, "3000 0001", PIN).ok
    assert authenticate(ale_library, "3000-0001", PIN).ok


def test_provider_format_is_configurable(sip2_server, sip2_library, ale_library):
    server = sip2_server()
    sip2_library(server, card_min_length=9)
    assert authenticate(ale_library, "30000001", PIN).reason == "invalid"
    assert "63" not in server.state.received
    sip2_library(server, card_min_length=8, card_max_length=8)
    assert authenticate(ale_library, "30000001", PIN).ok


def test_shortest_longer_than_longest_is_refused_by_the_staff_form(ale_library):
    provider = LoginProvider(library=ale_library, card_min_length=12, card_max_length=8)
    with pytest.raises(Exception, match="card_max_length"):
        provider.full_clean()


def test_too_long_entries_are_refused_in_the_session_api(client, ale_library, card_ale):
    card, pin = card_ale
    response = client.post(
        "/api/v1/session",
        {"library": ale_library.pk, "card": card, "pin": pin + "9" * 20},
        content_type="application/json",
    )
    assert response.status_code == 422  # not cut to the first 16 characters and let in


def test_staff_set_the_card_format_in_swedish(
    client, municipality_admin_ale, sip2_server, sip2_library
):
    provider = sip2_library(sip2_server())
    client.force_login(municipality_admin_ale)
    url = f"/staff/patrons/loginprovider/{provider.pk}/change/"
    page = client.get(url)
    text = page.content.decode()
    assert "Format för lånekort och PIN-kod" in text
    assert "kortaste lånekortsnummer" in text.lower()
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(library=provider.library_id, card_min_length=6, card_max_length=10, _save="1")
    for flag in ["use_tls", "verify_tls", "error_detection"]:
        if not data.get(flag):
            data.pop(flag, None)
    assert client.post(url, data).status_code == 302
    provider.refresh_from_db()
    assert (provider.card_min_length, provider.card_max_length) == (6, 10)


def test_test_connection_message_is_swedish_for_a_working_system(
    client, coordinator, sip2_server, sip2_library
):
    provider = sip2_library(sip2_server())
    client.force_login(coordinator)
    response = client.post(
        "/staff/patrons/loginprovider/",
        {"action": "test_connection", "_selected_action": [provider.pk]},
        follow=True,
    )
    assert "anslutningen fungerar – ansluten" in response.content.decode()


def test_card_and_patron_labels_are_swedish(ale_library, card_ale):
    from django.utils import translation

    from bibblix.patrons.models import LocalCard
    from bibblix.patrons.services import patron_for_card

    with translation.override("sv"):
        assert str(LocalCard.objects.get()).startswith("Kort …")
        assert str(patron_for_card(ale_library, card_ale[0])).startswith("Låntagare ")


def test_overlong_card_with_the_real_number_in_it_is_counted_too(
    sip2_server, sip2_library, ale_library
):
    server = sip2_server()
    sip2_library(server)
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            authenticate(ale_library, "30000001" + "|" * 60, "0000")
        assert authenticate(ale_library, "30000001", PIN).reason == "locked"
    assert "63" not in server.state.received
