"""Reading apps send the card with every request: a successful check is remembered briefly
(keyed by a keyed hash of card and PIN), so they neither ask the library system nor write a
session row each time; a wrong PIN, a lockout or a logout forgets it."""

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache

from bibblix.patrons import lockout
from bibblix.patrons import services as patrons

from .helpers import basic

pytestmark = pytest.mark.django_db


@pytest.fixture
def checks(monkeypatch):
    """The calls that reach the login provider."""
    made = []
    original = patrons.check_card

    def counting(library, card, pin):
        made.append(card)
        return original(library, card, pin)

    monkeypatch.setattr(patrons, "check_card", counting)
    cache.clear()
    return made


def feed(client, library, card, pin):
    """One request of a reading app that keeps no cookie."""
    client.cookies.clear()
    return client.get(f"/opds/v2/libraries/{library.pk}/books", HTTP_AUTHORIZATION=basic(card, pin))


def test_the_card_is_checked_once_and_no_session_row_is_written(
    client, ale_library, card_ale, checks
):
    for _ in range(3):
        assert feed(client, ale_library, *card_ale).status_code == 200
    assert len(checks) == 1
    assert Session.objects.count() == 1  # the real check's, for apps that keep the cookie


def test_the_cache_key_holds_neither_card_nor_pin(ale_library, card_ale, checks):
    hashed = patrons.card_hash(ale_library.municipality.municipality_code, card_ale[0])
    key = patrons._card_check_key(ale_library, hashed, card_ale[1])
    prefix, digest = key.split(":")
    assert prefix == "card-check" and len(digest) == 64 and card_ale[0] not in key
    assert hashed not in key


def test_a_wrong_pin_is_not_remembered_and_forgets_the_right_one(
    client, ale_library, card_ale, checks
):
    card, pin = card_ale
    assert feed(client, ale_library, card, pin).status_code == 200
    assert feed(client, ale_library, card, "9999").status_code == 401
    assert feed(client, ale_library, card, "9999").status_code == 401
    assert feed(client, ale_library, card, pin).status_code == 200
    assert len(checks) == 4  # the right PIN was asked again after the wrong one


def test_a_locked_card_is_refused_even_when_remembered(client, ale_library, card_ale, checks):
    card, pin = card_ale
    assert feed(client, ale_library, card, pin).status_code == 200
    hashed = patrons.card_hash(ale_library.municipality.municipality_code, card)
    lockout._lock(hashed)
    assert feed(client, ale_library, card, pin).status_code == 403
    assert len(checks) == 1


def test_logging_out_forgets_the_remembered_check(client, child, ale_library, card_ale, checks):
    from django.test import Client

    card, pin = card_ale
    app = Client()
    assert feed(app, ale_library, card, pin).status_code == 200
    child.post("/logout/")  # the same child logs out on the web
    assert feed(app, ale_library, card, pin).status_code == 200
    assert len(checks) == 2
