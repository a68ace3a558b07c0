"""How a SIP2 reply becomes a login outcome (recorded replies, no server)."""

import datetime

import pytest

from bibblix.patrons.providers.sip2 import codec, provider
from bibblix.patrons.providers.sip2.client import ClientConfig, Unavailable

SETTINGS = provider.ProviderSettings(client=ClientConfig("127.0.0.1", 6001))
TODAY = datetime.date(2026, 11, 25)


def reply(fields: str, status: str = " " * 14) -> codec.Message:
    body = f"64{status}000{'2' * 18}{'0000' * 6}AA123|{fields}AY1AZ".encode()
    return codec.parse(body + codec.checksum(body).encode() + b"\r")


def outcome(message, settings=SETTINGS) -> str:
    return provider.outcome_for_reply(message, "123", settings, TODAY)


def test_valid_patron_with_valid_password_is_let_in():
    assert outcome(reply("BLY|CQY|")) == "ok"


@pytest.mark.parametrize("fields", ["BLY|CQN|", "BLY|CQ|", "BLY|", "BLN|CQY|", "CQY|", "BL|CQY|"])
def test_anything_but_bl_y_and_cq_y_is_refused(fields):
    assert outcome(reply(fields)) == "invalid"


def test_blank_cq_field_refuses_login():
    assert outcome(reply("BLY|CQ|")) == "invalid"


def test_charge_privileges_denied_is_blocked():
    assert outcome(reply("BLY|CQY|", status="Y" + " " * 13)) == "blocked"


def test_card_reported_lost_is_blocked():
    assert outcome(reply("BLY|CQY|", status=" " * 4 + "Y" + " " * 9)) == "blocked"


def test_fines_alone_do_not_block_free_e_books():
    assert outcome(reply("BLY|CQY|", status=" " * 10 + "Y" + " " * 3)) == "ok"


def test_wrong_pin_on_a_blocked_card_says_only_invalid():
    assert outcome(reply("BLY|CQN|", status="Y" + " " * 13)) == "invalid"


def test_patron_class_outside_the_allowed_ones_is_not_a_child():
    settings = provider.ProviderSettings(
        client=SETTINGS.client, allowed_patron_classes=frozenset({"BARN"})
    )
    assert outcome(reply("BLY|CQY|PCVUXEN|"), settings) == "not_child"
    assert outcome(reply("BLY|CQY|PCBARN|"), settings) == "ok"


def test_patron_class_can_come_in_another_field():
    settings = provider.ProviderSettings(
        client=SETTINGS.client,
        allowed_patron_classes=frozenset({"BARN"}),
        patron_class_field="XP",
    )
    assert outcome(reply("BLY|CQY|XPBARN|"), settings) == "ok"


def test_card_holder_older_than_the_highest_age_is_not_a_child():
    settings = provider.ProviderSettings(client=SETTINGS.client, max_age=12)
    assert outcome(reply("BLY|CQY|PB20100101|"), settings) == "not_child"
    assert outcome(reply("BLY|CQY|PB20170301|"), settings) == "ok"


def test_age_limit_without_a_birth_date_lets_the_child_in():
    settings = provider.ProviderSettings(client=SETTINGS.client, max_age=12)
    assert outcome(reply("BLY|CQY|"), settings) == "ok"


def test_reply_about_another_card_is_unavailable_not_a_login():
    with pytest.raises(Unavailable):
        provider.outcome_for_reply(reply("BLY|CQY|"), "999", SETTINGS, TODAY)
