"""Demo fee schedule (illustrative amounts, not the association's real prices)."""

from django.utils import timezone

from .models import FeeSchedule, FeeTier

TIERS = [  # (up to population, direct fee in öre, group fee in öre)
    (10_000, 1_500_000, 1_200_000),
    (30_000, 3_000_000, 2_400_000),
    (100_000, 6_000_000, 4_800_000),
    (10_000_000, 12_000_000, 9_600_000),
]


def load(out=print) -> None:
    year = timezone.localdate().year
    schedule, _ = FeeSchedule.objects.get_or_create(year=year)
    for max_population, direct, group in TIERS:
        FeeTier.objects.update_or_create(
            schedule=schedule,
            max_population=max_population,
            defaults={"direct_fee_ore": direct, "group_fee_ore": group},
        )
    out(f"  billing: fee schedule {year} with {len(TIERS)} tiers (demo amounts)")
