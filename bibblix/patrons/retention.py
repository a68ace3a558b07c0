"""A child's account is retired where it lives: here.

Every app where a child acts (login here; a loan, a hold, a reading position, a bookmark in
lending; badges and challenges later) says so through `record_activity`, which keeps
`Patron.last_active_at`. Retention then needs to ask no other app: it forgets the children of a
municipality not active since the cutoff, and each app forgets its rows of that child through
`on_delete=CASCADE` or the `patron_forgotten` signal. The years are the municipality's rule,
which staff edit with the loan rules (`lending.LoanPolicy`); lending passes the cutoff in.

Re-exported by `services.py`; other apps call these through `patrons.services`.
"""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import Patron
from .signals import patron_forgotten

# last_active_at answers "active in the last N years": writing it more than once a day per child
# would only cost writes on the hottest paths (every saved reading position).
ACTIVITY_STEP = datetime.timedelta(days=1)


def record_activity(patron: Patron, now: datetime.datetime | None = None) -> None:
    """Note that the child did something; retention counts inactivity from the latest."""
    now = now or timezone.now()
    if patron.last_active_at is not None and patron.last_active_at > now - ACTIVITY_STEP:
        return  # already noted today: no statement at all
    # Conditional: a stale instance or an old clock never moves the stamp back.
    Patron.objects.filter(pk=patron.pk, last_active_at__lt=now).update(last_active_at=now)
    patron.last_active_at = now


def forget(patron: Patron) -> None:
    """Delete a child's account; other apps' rows go with it (on_delete=CASCADE, or their
    receiver of `patron_forgotten`, in the same transaction)."""
    with transaction.atomic():
        patron_forgotten.send(
            sender=Patron, patron_id=patron.pk, municipality_id=patron.municipality_id
        )
        patron.delete()


def municipalities_with_accounts() -> list[int]:
    """Ids of the municipalities that have children's accounts, in order."""
    ids = Patron.objects.order_by().values_list("municipality_id", flat=True).distinct()
    return sorted(set(ids))


def retire_inactive_accounts(
    municipality_id: int, cutoff: datetime.datetime, keep: Iterable[QuerySet] = ()
) -> int:
    """Forget the municipality's children not active since `cutoff`, except those whose ids
    are in a `keep` query (another app still has something open for them); returns how many
    (idempotent)."""
    inactive = Patron.objects.filter(municipality_id=municipality_id, last_active_at__lt=cutoff)
    for ids in keep:
        inactive = inactive.exclude(pk__in=ids)
    forgotten = 0
    for patron in inactive.iterator():
        forget(patron)
        forgotten += 1
    return forgotten
