"""OCR payment references as Bankgirot checks them: digits, then a length digit (the whole
reference's length modulo 10, check digit included), then a Luhn (modulus 10) check digit over
everything before it. Bankgirot accepts 2–25 digits."""

MAX_LENGTH = 25


def luhn_digit(digits: str) -> str:
    """The modulus-10 check digit for `digits` (weights 2, 1, 2, … from the right)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def make_ocr(number_digits: str) -> str:
    """The OCR reference for `number_digits`: the digits, a length digit and a check digit."""
    if not number_digits.isdigit() or len(number_digits) + 2 > MAX_LENGTH:
        raise ValueError(f"an OCR reference is built from 1–23 digits, not {number_digits!r}")
    with_length = number_digits + str((len(number_digits) + 2) % 10)
    return with_length + luhn_digit(with_length)


def is_valid_ocr(reference: str) -> bool:
    """Whether `reference` is an OCR number with a correct length digit and check digit."""
    if not reference.isdigit() or not 3 <= len(reference) <= MAX_LENGTH:
        return False
    if int(reference[-2]) != len(reference) % 10:
        return False
    return luhn_digit(reference[:-1]) == reference[-1]
