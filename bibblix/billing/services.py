"""Public functions of billing (invoicing runs come with the invoicing issue)."""

from .models import FeeSchedule


def annual_fee_ore(year: int, population: int, through_group: bool) -> int | None:
    """The annual fee in öre for `year`, or None when no fee schedule exists for it."""
    schedule = FeeSchedule.objects.filter(year=year).first()
    return schedule.annual_fee_ore(population, through_group) if schedule else None
