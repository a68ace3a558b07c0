"""Public functions of the member register. Other apps use these, never the models' internals.

`members` imports no other app.
"""

import datetime

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from .models import ConnectionEvent, Library, Organisation, StaffProfile

ACTIVE_STATES = {ConnectionEvent.State.CONNECTED, ConnectionEvent.State.NOTICE_GIVEN}


def today() -> datetime.date:
    return timezone.localdate()


def _state_on(day: datetime.date) -> Subquery:
    latest = ConnectionEvent.objects.filter(
        organisation=OuterRef("pk"), effective_date__lte=day
    ).order_by("-effective_date", "-recorded_at", "-pk")
    return Subquery(latest.values("state")[:1])


def connected_on(day: datetime.date | None = None) -> QuerySet[Organisation]:
    """Municipalities connected to the service on `day` (today by default)."""
    day = day or today()
    return (
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
        .annotate(connection_state=_state_on(day))
        .filter(connection_state__in=ACTIVE_STATES)
    )


def is_connected(municipality: Organisation, day: datetime.date | None = None) -> bool:
    """Whether `municipality` is connected on `day` (today by default)."""
    return connected_on(day).filter(pk=municipality.pk).exists()


def state_on(organisation: Organisation, day: datetime.date | None = None) -> str | None:
    """The connection state of `organisation` on `day`, or None before its first event."""
    event = (
        organisation.connection_events.filter(effective_date__lte=day or today())
        .order_by("-effective_date", "-recorded_at", "-pk")
        .first()
    )
    return event.state if event else None


@transaction.atomic
def record_event(
    organisation: Organisation,
    state: str,
    effective_date: datetime.date,
    reason: str = "",
    user=None,
) -> ConnectionEvent:
    """Add one dated step to an organisation's connection history."""
    return ConnectionEvent.objects.create(
        organisation=organisation,
        state=state,
        effective_date=effective_date,
        reason=reason,
        recorded_by=user,
    )


def connected_libraries(day: datetime.date | None = None) -> QuerySet[Library]:
    """Active libraries of the municipalities connected on `day`."""
    return Library.objects.filter(
        is_active=True, municipality__in=connected_on(day)
    ).select_related("municipality")


def get_library(pk: int) -> Library | None:
    return Library.objects.select_related("municipality").filter(pk=pk).first()


def staff_municipality_id(user) -> int | None:
    """The municipality a staff user is limited to, or None for the association's staff."""
    if user.is_superuser:
        return None
    profile = getattr(user, "staff_profile", None)
    if profile is None or profile.is_association_staff:
        return None
    return profile.municipality_id


def is_limited_staff(user) -> bool:
    """Whether `user` sees only one municipality (True for municipality staff, and for a
    staff user without a profile, who then sees nothing)."""
    if user.is_superuser:
        return False
    profile = getattr(user, "staff_profile", None)
    return profile is None or not profile.is_association_staff


def scope_for_staff(user, queryset: QuerySet, municipality_field: str) -> QuerySet:
    """Limit `queryset` to what `user` may see; `municipality_field` is the lookup path to the
    municipality (e.g. "municipality", "patron__municipality", or "pk" for organisations)."""
    if not is_limited_staff(user):
        return queryset
    municipality_id = staff_municipality_id(user)
    if municipality_id is None:
        return queryset.none()
    lookup = "pk" if municipality_field == "pk" else f"{municipality_field}_id"
    return queryset.filter(**{lookup: municipality_id})


def staff_role(user) -> str | None:
    profile = getattr(user, "staff_profile", None)
    return profile.role if profile else None


__all__ = [
    "StaffProfile",
    "connected_on",
    "connected_libraries",
    "get_library",
    "is_connected",
    "record_event",
    "scope_for_staff",
    "staff_municipality_id",
    "state_on",
]
