"""Brute force: a card locks after 5 wrong PINs in 15 minutes; a busy address is slowed."""

import datetime

import pytest
import time_machine
from django.core.cache import cache

from bibblix.patrons import lockout
from bibblix.patrons.services import authenticate, card_hash

from .conftest import PIN

# Early in a 15-minute window for every key: the windows are staggered per key, so tests pick a
# moment and move from there.
START = datetime.datetime(2026, 11, 25, 18, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _memory_cache(settings):
    """These tests travel in time, which moves the memory cache's clock but not Redis's (the
    PostgreSQL leg runs with REDIS_URL): windows and locks are tested on the memory cache, and
    test_lockout_parallel.py counts through whichever cache the leg has."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "lockout-time-travel",
        },
    }


def test_five_wrong_pins_lock_the_card_even_for_the_right_pin(ale_library, card_ale):
    card, pin = card_ale
    with time_machine.travel(START, tick=False):
        reasons = [authenticate(ale_library, card, "0000").reason for _ in range(5)]
        assert reasons == ["invalid"] * 4 + ["locked"]
        assert authenticate(ale_library, card, pin).reason == "locked"


def test_lock_keys_on_the_card_hash_and_leaves_other_cards_alone(ale_library, card_ale):
    card, pin = card_ale
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            authenticate(ale_library, card, "0000")
        assert lockout.is_card_locked(card_hash(ale_library.municipality.municipality_code, card))
        assert not lockout.is_card_locked(card)  # the raw number is not the key
        assert authenticate(ale_library, "20000002", PIN).reason == "invalid"


def test_lock_lasts_fifteen_minutes_then_lifts(ale_library, card_ale):
    card, pin = card_ale
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(5):
            authenticate(ale_library, card, "0000")
        traveller.shift(datetime.timedelta(minutes=14))
        assert authenticate(ale_library, card, pin).reason == "locked"
        traveller.shift(datetime.timedelta(minutes=2))
        assert authenticate(ale_library, card, pin).ok


def test_lock_set_at_the_end_of_a_counting_window_still_lasts(ale_library, card_ale):
    # Whatever moment the fifth wrong PIN falls on, the card stays locked a full 15 minutes:
    # try every minute of a window.
    card, pin = card_ale
    for minute in range(15):
        cache.clear()
        moment = START + datetime.timedelta(minutes=minute)
        with time_machine.travel(moment, tick=False) as traveller:
            for _ in range(5):
                authenticate(ale_library, card, "0000")
            traveller.shift(datetime.timedelta(minutes=14, seconds=59))
            assert authenticate(ale_library, card, pin).reason == "locked", minute


def test_library_system_down_does_not_count_as_a_wrong_pin(ale_library, sip2_server, sip2_library):
    sip2_library(sip2_server("garbled"), timeout_seconds=0.5)
    with time_machine.travel(START, tick=False):
        reasons = {authenticate(ale_library, "30000001", "0000").reason for _ in range(6)}
    assert reasons == {"unavailable"}


def test_locked_card_gets_the_friendly_text_and_423(client, ale_library, card_ale):
    card, _pin = card_ale
    with time_machine.travel(START, tick=False):
        for _ in range(4):
            authenticate(ale_library, card, "0000")
        response = client.post(
            f"/login/?municipality={ale_library.municipality_id}",
            {"library": ale_library.pk, "card": card, "pin": "0000"},
        )
    assert response.status_code == 423
    assert "låst en stund" in response.content.decode()
    assert "Fråga på biblioteket" in response.content.decode()


def test_address_trying_many_cards_is_slowed(client, ale_library, card_ale, settings):
    with time_machine.travel(START, tick=False):
        for number in range(lockout.ADDRESS_FAILURES):
            response = client.post(
                "/api/v1/session",
                {"library": ale_library.pk, "card": f"5{number:07d}", "pin": "0000"},
                content_type="application/json",
            )
            assert response.status_code == 401
        # Now even a right card and PIN from this address must wait.
        response = client.post(
            "/api/v1/session",
            {"library": ale_library.pk, "card": card_ale[0], "pin": card_ale[1]},
            content_type="application/json",
        )
    assert response.status_code == 429
    assert "Vänta några minuter" in response.json()["detail"]


def test_another_address_is_not_slowed(client, ale_library, card_ale):
    with time_machine.travel(START, tick=False):
        for number in range(lockout.ADDRESS_FAILURES):
            client.post(
                "/api/v1/session",
                {"library": ale_library.pk, "card": f"5{number:07d}", "pin": "0000"},
                content_type="application/json",
                REMOTE_ADDR="10.0.0.1",
            )
        response = client.post(
            "/api/v1/session",
            {"library": ale_library.pk, "card": card_ale[0], "pin": card_ale[1]},
            content_type="application/json",
            REMOTE_ADDR="10.0.0.2",
        )
    assert response.status_code == 201


def test_address_behind_a_trusted_proxy_is_the_one_the_proxy_added(rf, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    # The client claims 198.51.100.1; our proxy appends the address it really saw.
    request = rf.post("/", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7", REMOTE_ADDR="10.0.0.1")
    assert lockout.client_address("g", request) == "203.0.113.7"


def test_a_forged_header_from_an_untrusted_peer_is_ignored(rf, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = rf.post("/", HTTP_X_FORWARDED_FOR="192.0.2.1", REMOTE_ADDR="203.0.113.5")
    assert lockout.client_address("g", request) == "203.0.113.5"


def test_deprecated_header_setting_still_counts_the_proxys_address(rf, settings):
    settings.TRUSTED_PROXIES = []
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_FORWARDED_FOR"
    request = rf.post("/", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7", REMOTE_ADDR="10.0.0.1")
    assert lockout.client_address("g", request) == "203.0.113.7"


def test_deprecated_header_setting_gives_way_to_trusted_proxies(rf, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_FORWARDED_FOR"
    request = rf.post("/", HTTP_X_FORWARDED_FOR="192.0.2.1", REMOTE_ADDR="203.0.113.5")
    assert lockout.client_address("g", request) == "203.0.113.5"


def _refuse_many(client, ale_library, *, forged: bool = False, **meta) -> None:
    """ADDRESS_FAILURES refused logins; `forged`: each claims another address in the header."""
    for number in range(lockout.ADDRESS_FAILURES):
        claim = {"HTTP_X_FORWARDED_FOR": f"192.0.2.{number}"} if forged else {}
        response = client.post(
            "/api/v1/session",
            {"library": ale_library.pk, "card": f"5{number:07d}", "pin": "0000"},
            content_type="application/json",
            **meta,
            **claim,
        )
        assert response.status_code == 401


def _log_in(client, ale_library, card_ale, **meta):
    return client.post(
        "/api/v1/session",
        {"library": ale_library.pk, "card": card_ale[0], "pin": card_ale[1]},
        content_type="application/json",
        **meta,
    )


def test_child_cannot_escape_the_slow_down_with_a_forged_header(
    client, ale_library, card_ale, settings
):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    with time_machine.travel(START, tick=False):
        # Each refused attempt claims another address; the connection is the same one.
        _refuse_many(client, ale_library, REMOTE_ADDR="203.0.113.5", forged=True)
        response = _log_in(
            client,
            ale_library,
            card_ale,
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_FORWARDED_FOR="192.0.2.99",
        )
    assert response.status_code == 429


def test_behind_the_trusted_proxy_one_school_does_not_slow_another(
    client, ale_library, card_ale, settings
):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    with time_machine.travel(START, tick=False):
        _refuse_many(client, ale_library, **proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
        other = _log_in(client, ale_library, card_ale, **proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
        same = _log_in(client, ale_library, card_ale, **proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert other.status_code == 201
    assert same.status_code == 429


def test_ipv6_addresses_count_by_their_64_network(rf):
    first = rf.post("/", REMOTE_ADDR="2001:db8:1:2::a")
    second = rf.post("/", REMOTE_ADDR="2001:db8:1:2::b")
    assert lockout.client_address("g", first) == lockout.client_address("g", second)


def test_missing_address_does_not_break_the_login(rf):
    assert lockout.client_address("g", rf.post("/", REMOTE_ADDR="")) == "unknown"
