from bibblix.billing.models import FeeSchedule, FeeTier
from bibblix.billing.services import annual_fee_ore


def test_fee_follows_population_tier_and_group_rate(db):
    schedule = FeeSchedule.objects.create(year=2026)
    FeeTier.objects.create(
        schedule=schedule, max_population=10_000, direct_fee_ore=100_00, group_fee_ore=80_00
    )
    FeeTier.objects.create(
        schedule=schedule, max_population=100_000, direct_fee_ore=500_00, group_fee_ore=400_00
    )
    assert annual_fee_ore(2026, 9_000, through_group=False) == 100_00
    assert annual_fee_ore(2026, 32_500, through_group=True) == 400_00
    assert annual_fee_ore(2026, 600_000, through_group=False) == 500_00  # above the top tier
    assert annual_fee_ore(2025, 9_000, through_group=False) is None
