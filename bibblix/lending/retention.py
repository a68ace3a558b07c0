"""Retention: loan history is kept only as long as the municipality's rule says (default three
years), and a child's account is deleted after that many years without any activity."""

import datetime

from django.db.models import Q
from django.utils import timezone

from .models import Bookmark, Hold, Loan, ReadingProgress
from .rules import rules_for


def years_before(now: datetime.datetime, years: int) -> datetime.datetime:
    """The same moment `years` calendar years earlier (29 February becomes 28 February)."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def _inactive_patrons(municipality_id: int, cutoff: datetime.datetime):
    """Children of a municipality with no login, loan, hold, position or bookmark since
    `cutoff` and nothing open (an open loan or hold is activity)."""
    from bibblix.patrons.models import Patron

    recent_loans = Loan.objects.filter(
        Q(borrowed_at__gte=cutoff)
        | Q(returned_at__gte=cutoff)
        | Q(returned_at__isnull=True, due_at__gte=cutoff)
    )
    recent_holds = Hold.objects.filter(
        Q(placed_at__gte=cutoff) | Q(fulfilled_at__isnull=True, cancelled_at__isnull=True)
    )
    return (
        Patron.objects.filter(municipality_id=municipality_id, last_active_at__lt=cutoff)
        .exclude(pk__in=recent_loans.values("patron_id"))
        .exclude(pk__in=recent_holds.values("patron_id"))
        .exclude(pk__in=ReadingProgress.objects.filter(updated_at__gte=cutoff).values("patron_id"))
        .exclude(pk__in=Bookmark.objects.filter(created_at__gte=cutoff).values("patron_id"))
    )


def apply_retention(now: datetime.datetime | None = None) -> tuple[int, int]:
    """Delete accounts inactive longer than the rule, and older loan history of the others
    (idempotent): (accounts deleted, loans deleted)."""
    from bibblix.patrons import services as patrons
    from bibblix.patrons.models import Patron

    now = now or timezone.now()
    accounts = loans = 0
    municipality_ids = Patron.objects.values_list("municipality_id", flat=True).distinct()
    for municipality_id in sorted(set(municipality_ids)):
        cutoff = years_before(now, rules_for(municipality_id).retention_years)
        for patron in _inactive_patrons(municipality_id, cutoff).iterator():
            patrons.forget(patron)
            accounts += 1
        mine = Q(patron__municipality_id=municipality_id)
        ended = Q(returned_at__lt=cutoff) | Q(returned_at__isnull=True, due_at__lt=cutoff)
        loans += Loan.objects.filter(mine).filter(ended).delete()[1].get("lending.Loan", 0)
        Hold.objects.filter(mine, placed_at__lt=cutoff).exclude(
            fulfilled_at__isnull=True, cancelled_at__isnull=True
        ).delete()
    return accounts, loans
