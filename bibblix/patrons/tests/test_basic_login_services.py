"""The services OPDS Basic auth uses: the same address slowdown as the login page, and the
session's child matched to a card without the card hash leaving patrons."""

import datetime

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore

from bibblix.patrons import lockout
from bibblix.patrons.services import get_patron, log_in_basic, session_patron_for_card

START = datetime.datetime(2026, 11, 25, 18, 0, tzinfo=datetime.UTC)


@pytest.fixture
def make_request(rf):
    def make(address: str = "198.51.100.20"):
        request = rf.get("/opds/v2/", REMOTE_ADDR=address)
        request.session = SessionStore()
        return request

    return make


def test_basic_login_starts_a_session(make_request, ale_library, card_ale):
    request = make_request()
    result = log_in_basic(request, ale_library, *card_ale)
    assert result.ok
    assert get_patron(request) == result.patron


def test_basic_logins_from_a_busy_address_are_slowed(make_request, ale_library, card_ale):
    with time_machine.travel(START, tick=False):
        for number in range(lockout.ADDRESS_FAILURES):
            result = log_in_basic(make_request(), ale_library, f"5{number:07d}", "0000")
            assert result.reason == "invalid"
        slowed = log_in_basic(make_request(), ale_library, *card_ale)
        assert (slowed.ok, slowed.reason) == (False, "slowed")
        assert "Vänta några minuter" in slowed.message
        assert log_in_basic(make_request("198.51.100.21"), ale_library, *card_ale).ok


def test_session_patron_for_the_same_card_is_the_logged_in_child(
    make_request, ale_library, card_ale
):
    request = make_request()
    patron = log_in_basic(request, ale_library, *card_ale).patron
    assert session_patron_for_card(request, ale_library, card_ale[0]) == patron
    assert session_patron_for_card(request, ale_library, f" {card_ale[0]} ") == patron
    assert session_patron_for_card(request, ale_library, None) == patron


def test_session_patron_for_another_card_is_none(make_request, ale_library, card_ale):
    request = make_request()
    log_in_basic(request, ale_library, *card_ale)
    assert session_patron_for_card(request, ale_library, "20000002") is None


def test_session_patron_of_another_municipality_is_none(make_request, ale_library, boras, card_ale):
    request = make_request()
    log_in_basic(request, ale_library, *card_ale)
    assert session_patron_for_card(request, boras.libraries.get(), card_ale[0]) is None


def test_no_session_gives_no_patron(make_request, ale_library, card_ale):
    assert session_patron_for_card(make_request(), ale_library, card_ale[0]) is None
