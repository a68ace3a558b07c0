import pytest

from bibblix.lib.money import divide, format_sek, percent_of, pro_rata, vat_amount


def test_format_sek_groups_thousands_and_shows_ore():
    assert format_sek(1234550) == "12\u00a0345,50\u00a0kr"
    assert format_sek(-5) == "-0,05\u00a0kr"


def test_percent_rounds_half_away_from_zero():
    assert percent_of(1000, 2500) == 250
    assert percent_of(2, 2500) == 1  # 0.5 öre rounds up
    assert percent_of(-2, 2500) == -1


def test_pro_rata_of_a_year_by_day():
    # 5 000 kr for 292 of 365 days (15 March–31 December) = 4 000 kr exactly.
    assert pro_rata(500_000, 292, 365) == 400_000
    # 10 000 kr for 1 day of 366: 27,3224… kr rounds to 27,32 kr.
    assert pro_rata(1_000_000, 1, 366) == 2_732


def test_vat_is_rounded_once_on_the_category_total():
    # Three lines of 0,02 kr: VAT per line would be 3 × 0,01 = 0,03 kr; on the total 0,02 kr.
    assert vat_amount(2 + 2 + 2, 2500) == 2
    assert sum(vat_amount(2, 2500) for _ in range(3)) == 3


def test_divide_refuses_a_zero_denominator():
    with pytest.raises(ValueError):
        divide(1, 0)
