"""Statistics roll-ups. Insights reads other apps only through their services."""

import datetime

from django.db import transaction

from bibblix.lending import services as lending

from .models import DailyUsage


@transaction.atomic
def roll_up(day: datetime.date) -> int:
    """Recompute the roll-up rows of `day` (safe to run again); returns the number of rows."""
    counts = lending.loans_started_per_municipality(day)
    DailyUsage.objects.filter(day=day).exclude(municipality_id__in=counts).delete()
    for municipality_id, loans in counts.items():
        DailyUsage.objects.update_or_create(
            day=day, municipality_id=municipality_id, defaults={"loans_started": loans}
        )
    return len(counts)
