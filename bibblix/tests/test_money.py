from bibblix.lib.money import format_sek, percent_of


def test_format_sek_groups_thousands_and_shows_ore():
    assert format_sek(1234550) == "12\u00a0345,50\u00a0kr"
    assert format_sek(-5) == "-0,05\u00a0kr"


def test_percent_rounds_half_away_from_zero():
    assert percent_of(1000, 2500) == 250
    assert percent_of(2, 2500) == 1  # 0.5 öre rounds up
    assert percent_of(-2, 2500) == -1
