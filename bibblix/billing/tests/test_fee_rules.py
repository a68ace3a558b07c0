"""The fee rules against hand-computed amounts (see builders.py for the schedule)."""

import pytest

from bibblix.billing.fees import FeeScheduleMissing, Period, charges
from bibblix.billing.tests import builders as b

KR = b.KR
pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    b.schedule(2025)
    return b.arrangement()


def _by_key(found, buyer):
    return {c.key: c for c in found if c.buyer_id == buyer.pk}


def test_direct_member_for_a_full_year(setup):
    sambruk, _gits, _vgr = setup
    ale = b.municipality("Ale", "1440", 20_000)
    lines = _by_key(charges(Period.of(2025)), ale)
    # Tier up to 25 000 inhabitants: 25 000 kr a year; service 20 000 × 1 kr = 20 000 kr.
    assert {k: c.net_ore for k, c in lines.items()} == {
        "membership_yearly": 25_000 * KR,
        "service": 20_000 * KR,
    }
    assert {c.issuer_id for c in lines.values()} == {sambruk.organisation_id}
    assert lines["membership_yearly"].vat_category == "O"
    assert lines["service"].vat_category == "S" and lines["service"].vat_rate_bp == 2500
    assert "365/365" in lines["service"].provenance
    assert "20\u00a0000 (SCB, 2024)" in lines["service"].provenance


def test_connection_from_15_march_is_pro_rata_by_day(setup):
    boras = b.municipality("Borås", "1490", 10_000, member_since=b.D(2025, 3, 15),
                           connected_since=b.D(2025, 3, 15))  # fmt: skip
    lines = _by_key(charges(Period.of(2025)), boras)
    # 15 March–31 December is 292 of 365 days.
    assert {k: c.net_ore for k, c in lines.items()} == {
        "membership_yearly": 8_000 * KR,  # 10 000 kr × 292/365
        "membership_one_off": 5_000 * KR,
        "connection": 10_000 * KR,
        "service": 8_000 * KR,  # the floor 10 000 kr × 292/365
    }
    assert lines["service"].period_start == b.D(2025, 3, 15)
    assert lines["service"].period_end == b.D(2025, 12, 31)
    assert "292/365" in lines["membership_yearly"].provenance


def test_municipality_through_the_regional_group(setup):
    sambruk, gits, vgr = setup
    tjorn = b.municipality("Tjörn", "1419", 32_500, member_since=b.D(2025, 3, 15),
                           connected_since=b.D(2025, 3, 15), group=vgr)  # fmt: skip
    found = charges(Period.of(2025))
    to_tjorn = _by_key(found, tjorn)
    # Contribution 32 öre × 32 500 = 10 400 kr a year × 292/365 = 8 320 kr.
    assert {k: c.net_ore for k, c in to_tjorn.items()} == {
        "reinvoiced_yearly": 14_080 * KR,  # 28 000 kr × 292/365 = 22 400 kr − 8 320 kr
        "reinvoiced_one_off": 5_000 * KR,  # half of the 10 000 kr one-off fee
        "reinvoiced_connection": 5_000 * KR,  # half of the 10 000 kr connection fee
    }
    assert {c.issuer_id for c in to_tjorn.values()} == {gits.organisation_id}
    to_vgr = _by_key(found, vgr)
    assert {k: c.net_ore for k, c in to_vgr.items()} == {
        "group_fee": 50_000 * KR,
        "group_one_off_share:1419": 5_000 * KR,
        "group_connection_share:1419": 5_000 * KR,
        "group_subsidy:1419": 8_320 * KR,
    }
    assert {c.issuer_id for c in to_vgr.values()} == {sambruk.organisation_id}


def test_re_joining_member_pays_half_the_one_off_fee_and_no_second_connection_fee(setup):
    lerum = b.municipality("Lerum", "1441", 5_000, member_since=b.D(2019, 1, 1),
                           connected_since=b.D(2019, 1, 1))  # fmt: skip
    b.end(lerum, b.D(2023, 1, 1))
    b.Membership.objects.create(
        organisation=lerum, route=b.Membership.Route.DIRECT, start_date=b.D(2025, 7, 1)
    )
    b.connect(lerum, b.D(2025, 7, 1))
    lines = _by_key(charges(Period.of(2025)), lerum)
    # 1 July–31 December: 184 of 365 days.
    assert {k: c.net_ore for k, c in lines.items()} == {
        "membership_one_off": 2_500 * KR,
        "membership_yearly": 252_055,  # 5 000 kr × 184/365 = 2 520,547… kr
        "service": 504_110,  # floor 10 000 kr × 184/365 = 5 041,095… kr
    }
    assert "re-joining" in lines["membership_one_off"].provenance or "återinträde" in (
        lines["membership_one_off"].provenance
    )


def test_a_quarter_charges_its_days_and_the_one_offs_that_start_in_it(setup):
    boras = b.municipality("Borås", "1490", 10_000, member_since=b.D(2025, 3, 15),
                           connected_since=b.D(2025, 3, 15))  # fmt: skip
    q1 = _by_key(charges(Period.of(2025, 1)), boras)
    q2 = _by_key(charges(Period.of(2025, 2)), boras)
    # Q1: 15–31 March = 17 days; Q2: 91 days.
    assert q1["membership_yearly"].net_ore == 46_575  # 10 000 kr × 17/365 = 465,753… kr
    assert "membership_one_off" in q1 and "membership_one_off" not in q2
    assert q2["membership_yearly"].net_ore == 249_315  # 10 000 kr × 91/365 = 2 493,150… kr


def test_no_schedule_for_the_year_is_one_clear_error(db):
    with pytest.raises(FeeScheduleMissing):
        charges(Period.of(2030))
