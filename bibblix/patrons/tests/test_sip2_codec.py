"""The SIP2 codec on its own, with messages recorded from the specification and real systems."""

import pytest

from bibblix.patrons.providers.sip2 import codec

# Reply to a patron information request as Koha sends it (name blanked), recorded by hand.
RECORDED_64 = (
    b"64Y   Y         00020261125    081500000000000000000000000000"
    b"AOALE|AA30000001|AE|BLY|CQY|PCBARN|PB20170301|AFGreetings from Koha. |AY1AZ"
)


def with_checksum(message: bytes) -> bytes:
    return message + codec.checksum(message).encode() + b"\r"


def test_checksum_matches_the_3m_developers_guide_example():
    assert codec.checksum(b"990 402.00AY1AZ") == "FCB4"


def test_checksum_of_the_specification_login_example():
    # The specification prints EC78, a known misprint: the sum gives EC7B, as systems send it.
    assert codec.checksum(b"9300CNLoginUserID|COLoginPassword|CPLocationCode|AY5AZ") == "EC7B"


def test_build_adds_sequence_number_checksum_and_carriage_return():
    message = codec.build(
        "93",
        "00",
        [("CN", "LoginUserID"), ("CO", "LoginPassword"), ("CP", "LocationCode")],
        sequence=5,
    )
    assert message == b"9300CNLoginUserID|COLoginPassword|CPLocationCode|AY5AZEC7B\r"


def test_build_without_error_detection_has_no_ay_or_az():
    assert codec.build("99", "0040" + "2.00") == b"9900402.00\r"


def test_build_refuses_field_separators_in_values_instead_of_stripping_them():
    # A stripped "12|34" would be sent as "1234": refused, never cleaned.
    with pytest.raises(codec.FieldError):
        codec.build("63", "", [("AA", "12|34\r")])


def test_sequence_numbers_wrap_at_ten():
    assert b"AY3AZ" in codec.build("99", "0040" + "2.00", sequence=13)


def test_parses_a_recorded_patron_information_reply():
    reply = codec.parse(with_checksum(RECORDED_64), expect="64")
    assert reply.command == "64"
    assert reply.get("BL") == "Y" and reply.get("CQ") == "Y"
    assert reply.get("PC") == "BARN"
    assert reply.sequence == 1
    assert reply.flags() == {"charge privileges denied", "card reported lost"}


def test_blank_field_parses_as_empty_string_not_missing():
    reply = codec.parse(with_checksum(b"24" + b" " * 14 + b"000" + b"2" * 18 + b"AA1|CQ|AY0AZ"))
    assert reply.get("CQ") == ""
    assert reply.get("BL") is None


def test_wrong_checksum_is_rejected():
    garbled = RECORDED_64 + b"0000\r"
    with pytest.raises(codec.ChecksumError):
        codec.parse(garbled)


def test_reply_of_the_wrong_kind_is_rejected():
    with pytest.raises(codec.ProtocolError):
        codec.parse(codec.build("94", "1", sequence=0), expect="64")


def test_resend_request_is_accepted_as_a_reply_to_anything():
    assert codec.parse(b"96\r", expect="64").command == "96"


def test_truncated_fixed_fields_are_rejected():
    with pytest.raises(codec.ProtocolError):
        codec.parse(b"64Y  \r")


def test_junk_is_rejected():
    with pytest.raises(codec.ProtocolError):
        codec.parse(b"\x00\xffthis is not SIP\r")


def test_latin1_reply_checksum_is_over_the_bytes_sent():
    body = "64" + " " * 14 + "000" + "2" * 18 + "0000" * 6 + "AEÅsa Öberg|BLY|CQY|AY2AZ"
    raw = with_checksum(body.encode("latin-1"))
    reply = codec.parse(raw, encoding="latin-1")
    assert reply.get("AE") == "Åsa Öberg"
