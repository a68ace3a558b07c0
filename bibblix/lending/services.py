"""Public functions of lending."""

import datetime

from django.db.models import Count, QuerySet
from django.utils import timezone

from .models import Loan


def active_loans(patron) -> QuerySet[Loan]:
    """The patron's loans that are open and not past due."""
    return Loan.objects.filter(patron=patron, returned_at__isnull=True, due_at__gt=timezone.now())


def has_active_loan(patron, book) -> bool:
    return active_loans(patron).filter(book=book).exists()


def loans_started_per_municipality(day: datetime.date) -> dict[int, int]:
    """How many loans started on `day`, per municipality id (anonymous counts for statistics)."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    rows = (
        Loan.objects.filter(borrowed_at__gte=start, borrowed_at__lt=end)
        .values("patron__municipality_id")
        .annotate(n=Count("pk"))
    )
    return {row["patron__municipality_id"]: row["n"] for row in rows}
