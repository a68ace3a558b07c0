"""Retention, lending's part: the municipality's rule (`LoanPolicy.retention_years`, default
three years, edited by staff with the loan rules) and old loan history.

A child's account is retired by `patrons` (`patrons.services.retire_inactive_accounts`) from
the activity every app records there; lending passes the cutoff of each municipality's rule and
the children it still has something open for (an open hold, a loan not yet over), and deletes
older loan history of the children who stay. Reading events are anonymous statistics: never
touched here.
"""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from bibblix.patrons import services as patrons

from .models import Hold, Loan
from .rules import rules_for


def years_before(now: datetime.datetime, years: int) -> datetime.datetime:
    """The same moment `years` calendar years earlier (29 February becomes 28 February)."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def _still_open(municipality_id: int, cutoff: datetime.datetime) -> list[QuerySet]:
    """Patron ids of the municipality with a hold still waiting or a loan not over at `cutoff`:
    an open loan or hold counts as activity, however long ago it began."""
    loans = Loan.objects.filter(
        patron__municipality_id=municipality_id, returned_at__isnull=True, due_at__gte=cutoff
    ).values("patron_id")
    holds = Hold.objects.filter(
        patron__municipality_id=municipality_id,
        fulfilled_at__isnull=True,
        cancelled_at__isnull=True,
    ).values("patron_id")
    return [loans, holds]


def _delete_old_history(municipality_id: int, cutoff: datetime.datetime) -> int:
    mine = Q(patron__municipality_id=municipality_id)
    ended = Q(returned_at__lt=cutoff) | Q(returned_at__isnull=True, due_at__lt=cutoff)
    loans = Loan.objects.filter(mine).filter(ended).delete()[1].get("lending.Loan", 0)
    Hold.objects.filter(mine, placed_at__lt=cutoff).exclude(
        fulfilled_at__isnull=True, cancelled_at__isnull=True
    ).delete()
    return loans


def apply_retention(now: datetime.datetime | None = None) -> tuple[int, int]:
    """Retire accounts inactive longer than their municipality's rule (through patrons) and
    delete older loan history of the others (idempotent): (accounts deleted, loans deleted)."""
    now = now or timezone.now()
    accounts = loans = 0
    for municipality_id in patrons.municipalities_with_accounts():
        cutoff = years_before(now, rules_for(municipality_id).retention_years)
        accounts += patrons.retire_inactive_accounts(
            municipality_id, cutoff, keep=_still_open(municipality_id, cutoff)
        )
        loans += _delete_old_history(municipality_id, cutoff)
    return accounts, loans
