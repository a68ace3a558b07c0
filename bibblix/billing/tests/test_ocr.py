import pytest

from bibblix.billing.ocr import is_valid_ocr, luhn_digit, make_ocr


def test_luhn_digit_matches_a_known_reference():
    # The classic Luhn example: 7992739871 has check digit 3.
    assert luhn_digit("7992739871") == "3"


def test_make_ocr_adds_length_then_check_digit():
    # "12345" gives 7 digits in all, so the length digit is 7.
    reference = make_ocr("12345")
    assert reference[:6] == "123457"
    # By hand, from the right of 123457: 7×2=14→1+4=5, 5, 4×2=8, 3, 2×2=4, 1 → 26 → check 4.
    assert reference == "1234574"
    assert is_valid_ocr(reference)


def test_length_digit_wraps_at_ten():
    reference = make_ocr("1" * 9)  # 11 digits in all: length digit 1
    assert len(reference) == 11 and reference[-2] == "1"
    assert is_valid_ocr(reference)


@pytest.mark.parametrize(
    "reference",
    ["1234575", "1234564", "12345", "", "12a4574", "1" * 26],
)
def test_invalid_references_are_refused(reference):
    assert not is_valid_ocr(reference)


def test_make_ocr_refuses_what_is_not_digits_or_too_long():
    with pytest.raises(ValueError):
        make_ocr("12-3")
    with pytest.raises(ValueError):
        make_ocr("1" * 24)
