"""Public functions of the member register. Other apps use these, never the models' internals.

`members` imports no other app.
"""

import datetime
import time

from django.core.cache import cache, caches
from django.db import transaction
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from .lifecycle import (
    TransitionRefused,
    cancel_planned_step,
    connect,
    end_connection,
    legal_actions,
    reconnect,
    record_event,
    register_application,
    register_enquiry,
    register_termination,
    sign_agreement,
    withdraw_termination,
)
from .models import ConnectionEvent, Contact, Library, Membership, Organisation, StaffProfile

ACTIVE_STATES = {ConnectionEvent.State.CONNECTED, ConnectionEvent.State.NOTICE_GIVEN}


def today() -> datetime.date:
    """Today in the service's time zone (Europe/Stockholm)."""
    return timezone.localdate()


def state_subquery(day: datetime.date, outer: str = "pk") -> Subquery:
    """The connection state on `day` of the organisation named by `outer`, for annotations."""
    latest = ConnectionEvent.objects.filter(
        organisation=OuterRef(outer), effective_date__lte=day, cancelled_at__isnull=True
    ).order_by("-effective_date", "-recorded_at", "-pk")
    return Subquery(latest.values("state")[:1])


_state_on = state_subquery


def connected_on(day: datetime.date | None = None) -> QuerySet[Organisation]:
    """Municipalities connected to the service on `day` (today by default)."""
    day = day or today()
    return (
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
        .annotate(connection_state=_state_on(day))
        .filter(connection_state__in=ACTIVE_STATES)
    )


# --- the one cache of connected municipalities --------------------------------------------------
# Every request of a logged-in child and every borrow asks which municipalities are connected.
# The answer is kept in each process's memory ("local" cache, no round trip) under a generation
# number that lives in the shared cache (Redis in production). A saved or deleted connection
# event or organisation (`signals.py`) bumps the generation: the process that made the change
# sees it at once, every other process within GENERATION_SECONDS, when it next reads the
# generation. Writes that send no signal (queryset update(), bulk_create) call
# forget_connected_municipalities() themselves.
CONNECTED_CACHE_SECONDS = 60  # a day's answer changes only by an event, so this is a safety net
GENERATION_SECONDS = 1.0
_GENERATION_KEY = "members:connected-generation"
_generation_seen = {"value": 0, "read_at": float("-inf")}


def connected_municipality_ids(day: datetime.date | None = None) -> frozenset[int]:
    """Ids of the municipalities connected on `day` (today by default), cached (see above)."""
    day = day or today()
    key = f"members:connected:{_generation()}:{day.isoformat()}"
    local = caches["local"]
    ids = local.get(key)
    if ids is None:
        ids = frozenset(connected_on(day).values_list("pk", flat=True))
        local.set(key, ids, CONNECTED_CACHE_SECONDS)
    return ids


def forget_connected_municipalities(**_signal) -> None:
    """A connection changed: every process's cached answer is stale (a new generation)."""
    try:
        cache.incr(_GENERATION_KEY)
    except ValueError:  # not there yet (or the shared cache was flushed)
        cache.set(_GENERATION_KEY, int(time.time() * 1000), None)
    _generation_seen["read_at"] = float("-inf")  # this process reads the new one at once


def _generation() -> int:
    now = time.monotonic()
    if now - _generation_seen["read_at"] >= GENERATION_SECONDS:
        _generation_seen["value"] = cache.get(_GENERATION_KEY, 0)
        _generation_seen["read_at"] = now
    return _generation_seen["value"]


def is_connected(municipality: Organisation, day: datetime.date | None = None) -> bool:
    """Whether `municipality` is connected on `day` (today by default)."""
    return municipality.pk in connected_municipality_ids(day)


def state_on(organisation: Organisation, day: datetime.date | None = None) -> str | None:
    """The connection state of `organisation` on `day`, or None before its first event."""
    event = (
        organisation.connection_events.filter(
            effective_date__lte=day or today(), cancelled_at__isnull=True
        )
        .order_by("-effective_date", "-recorded_at", "-pk")
        .first()
    )
    return event.state if event else None


def connected_libraries(day: datetime.date | None = None) -> QuerySet[Library]:
    """Active libraries of the municipalities connected on `day`."""
    return Library.objects.filter(
        is_active=True, municipality_id__in=connected_municipality_ids(day)
    ).select_related("municipality")


def get_library(pk: int) -> Library | None:
    """The library with primary key `pk` (with its municipality), or None."""
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
    """The staff user's role (a StaffProfile.Role value), or None."""
    profile = getattr(user, "staff_profile", None)
    return profile.role if profile else None


def get_member_for_staff(user, pk) -> Organisation:
    """The organisation `pk` if `user` may see it, else Http404 (never another's rows by id)."""
    organisation = scope_for_staff(user, Organisation.objects.all(), "pk").filter(pk=pk).first()
    if organisation is None:
        raise Http404
    return organisation


def _memberships_on(day: datetime.date) -> QuerySet[Membership]:
    return Membership.objects.filter(
        Q(start_date__isnull=True) | Q(start_date__lte=day),
        Q(end_date__isnull=True) | Q(end_date__gt=day),
    )


def membership_on(organisation: Organisation, day: datetime.date | None = None):
    """The association membership `organisation` holds on `day` (today by default), or None."""
    return (
        _memberships_on(day or today())
        .filter(organisation=organisation)
        .select_related("group")
        .order_by("-start_date")
        .first()
    )


def membership_route_subquery(day: datetime.date, field: str = "route") -> Subquery:
    """`field` of the membership held on `day`, for annotating organisations."""
    current = _memberships_on(day).filter(organisation=OuterRef("pk")).order_by("-start_date")
    return Subquery(current.values(field)[:1])


def describe_route(membership) -> str:
    """ "direct", "through <group>", or "no membership", in the active language."""
    from django.utils.translation import gettext as _

    if membership is None:
        return _("no membership")
    if membership.route == Membership.Route.THROUGH_GROUP:
        return _("through %(group)s") % {"group": membership.group.name}
    return membership.get_route_display().lower()


def connection_periods(
    organisation: Organisation,
) -> list[tuple[datetime.date, datetime.date | None]]:
    """`organisation`'s connected periods as (first day, end) pairs; the end is the first day
    without the service (None while open), so billing can count days with end - start."""
    return connection_periods_for([organisation.pk])[organisation.pk]


def connection_periods_for(
    organisation_ids,
) -> dict[int, list[tuple[datetime.date, datetime.date | None]]]:
    """`connection_periods` of many organisations from one query, keyed by organisation id."""
    periods: dict[int, list[list]] = {pk: [] for pk in organisation_ids}
    events = (
        ConnectionEvent.objects.filter(organisation_id__in=periods, cancelled_at__isnull=True)
        .order_by("organisation_id", "effective_date", "recorded_at", "pk")
        .values_list("organisation_id", "state", "effective_date")
    )
    for organisation_id, state, day in events:
        own = periods[organisation_id]
        is_active = state in ACTIVE_STATES
        is_open = bool(own) and own[-1][1] is None
        if is_active and not is_open:
            own.append([day, None])
        elif not is_active and is_open:
            own[-1][1] = day
    return {pk: [(start, end) for start, end in own] for pk, own in periods.items()}


def connection_events_between(
    start: datetime.date, end: datetime.date
) -> QuerySet[ConnectionEvent]:
    """Steps (not cancelled) effective from `start` to `end` inclusive, in date order: what
    happened in the register in a period (for reports)."""
    return (
        ConnectionEvent.objects.filter(
            effective_date__gte=start, effective_date__lte=end, cancelled_at__isnull=True
        )
        .select_related("organisation")
        .order_by("effective_date", "organisation__name", "pk")
    )


def organisations(ids) -> QuerySet[Organisation]:
    """Organisations of any kind with these ids (e.g. to name invoicers and buyers in reports);
    staff pages scope them with scope_for_staff."""
    return Organisation.objects.filter(pk__in=list(ids))


def contacts_of(organisation: Organisation, role: str | None = None) -> QuerySet[Contact]:
    """Active contacts of `organisation`, optionally of one Contact.Role."""
    contacts = organisation.contacts.filter(is_active=True)
    return contacts.filter(role=role) if role else contacts


def coordinators() -> QuerySet[Contact]:
    """The association's coordinators for the service (active Contacts with that role)."""
    return Contact.objects.filter(role=Contact.Role.COORDINATOR, is_active=True)


@transaction.atomic
def record_membership(
    member: Organisation,
    route: str,
    start_date: datetime.date | None,
    group: Organisation | None = None,
    note: str = "",
    invoiced_by: Organisation | None = None,
) -> Membership:
    """Start `member`'s association membership from `start_date` (None: since before the
    register), ending the open membership it replaces; unchanged routes change nothing."""
    member = Organisation.objects.select_for_update().get(pk=member.pk)
    current = member.memberships.filter(end_date__isnull=True).order_by("-start_date").first()
    same_group = current and current.group_id == (group.pk if group else None)
    same_invoicer = current and current.invoiced_by_id == (invoiced_by.pk if invoiced_by else None)
    if current and current.route == route and same_group and same_invoicer:
        return current
    if current:
        current.end_date = start_date or today()
        current.full_clean()
        current.save(update_fields=["end_date"])
    membership = Membership(
        organisation=member,
        route=route,
        group=group,
        start_date=start_date,
        note=note,
        invoiced_by=invoiced_by,
    )
    membership.full_clean()
    membership.save()
    sync_group(member)
    return membership


def sync_group(member: Organisation) -> None:
    """Keep Organisation.group (and a region's invoiced_by) equal to today's membership."""
    current = membership_on(member)
    group_id = current.group_id if current else None
    Organisation.objects.filter(pk=member.pk).exclude(group_id=group_id).update(group_id=group_id)
    if current and current.route == Membership.Route.GROUP and current.invoiced_by_id:
        Organisation.objects.filter(pk=member.pk).update(invoiced_by_id=current.invoiced_by_id)


def association() -> Organisation | None:
    """The association that runs the service (the Organisation of kind ASSOCIATION), or None."""
    return Organisation.objects.filter(kind=Organisation.Kind.ASSOCIATION).order_by("pk").first()


def _group_membership_on(region_id: int, day: datetime.date) -> Membership | None:
    return (
        _memberships_on(day)
        .filter(organisation_id=region_id, route=Membership.Route.GROUP)
        .select_related("invoiced_by")
        .order_by("-start_date")
        .first()
    )


def invoicer_on(organisation: Organisation, day: datetime.date | None = None):
    """Who invoices `organisation` on `day`, from the dated memberships: the association for a
    direct member and for a region's group membership; the invoicing body named on the group's
    membership for a municipality that is a member through the group. None when nobody does
    (no membership that day, or a group whose municipalities the region pays for itself)."""
    day = day or today()
    membership = membership_on(organisation, day)
    if membership is None:
        return None
    if membership.route == Membership.Route.THROUGH_GROUP:
        group_membership = _group_membership_on(membership.group_id, day)
        return group_membership.invoiced_by if group_membership else None
    return association()


def invoicing_arrangement_on(day: datetime.date | None = None) -> list[tuple]:
    """Who invoices whom on `day`: (invoicer, buyer, membership) for every organisation with a
    membership that day, invoicer None where nobody invoices that member; sorted by invoicer
    and buyer name."""
    day = day or today()
    the_association = association()
    group_invoicers: dict[int, Organisation | None] = {}
    rows = []
    for membership in _memberships_on(day).select_related("organisation", "group", "invoiced_by"):
        if membership.route == Membership.Route.THROUGH_GROUP:
            if membership.group_id not in group_invoicers:
                group_membership = _group_membership_on(membership.group_id, day)
                group_invoicers[membership.group_id] = (
                    group_membership.invoiced_by if group_membership else None
                )
            invoicer = group_invoicers[membership.group_id]
        else:
            invoicer = the_association
        rows.append((invoicer, membership.organisation, membership))
    return sorted(rows, key=lambda row: (row[0].name if row[0] else "", row[1].name))


def group_member_ids(region: Organisation, day: datetime.date | None = None) -> list[int]:
    """Municipalities that are members through `region`'s group membership on `day`."""
    return list(
        _memberships_on(day or today())
        .filter(group=region, route=Membership.Route.THROUGH_GROUP)
        .values_list("organisation_id", flat=True)
    )


def memberships_overlapping(start: datetime.date, end: datetime.date) -> QuerySet[Membership]:
    """Memberships held on at least one day of [start, end), with their organisation and group
    (billing reads who was a member when from here)."""
    return (
        Membership.objects.filter(
            Q(start_date__isnull=True) | Q(start_date__lt=end),
            Q(end_date__isnull=True) | Q(end_date__gt=start),
        )
        .select_related("organisation", "group")
        .order_by("organisation__name", F("start_date").asc(nulls_first=True), "pk")
    )


def memberships_of(organisation: Organisation) -> QuerySet[Membership]:
    """Every membership `organisation` has held, oldest first."""
    return organisation.memberships.order_by(F("start_date").asc(nulls_first=True), "pk")


__all__ = [
    "StaffProfile",
    "association",
    "TransitionRefused",
    "cancel_planned_step",
    "connect",
    "connected_libraries",
    "connected_municipality_ids",
    "connection_periods",
    "connection_periods_for",
    "contacts_of",
    "coordinators",
    "connected_on",
    "forget_connected_municipalities",
    "connection_events_between",
    "describe_route",
    "end_connection",
    "get_library",
    "get_member_for_staff",
    "group_member_ids",
    "invoicer_on",
    "invoicing_arrangement_on",
    "is_connected",
    "is_limited_staff",
    "legal_actions",
    "membership_on",
    "memberships_of",
    "memberships_overlapping",
    "organisations",
    "reconnect",
    "record_event",
    "record_membership",
    "register_application",
    "register_enquiry",
    "register_termination",
    "scope_for_staff",
    "sign_agreement",
    "staff_municipality_id",
    "staff_role",
    "state_on",
    "withdraw_termination",
]


def municipalities(ids=None) -> QuerySet[Organisation]:
    """Organisations of kind municipality (only those with these ids, when given), by name;
    e.g. for names and populations in statistics."""
    rows = Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
    return (rows.filter(pk__in=list(ids)) if ids is not None else rows).order_by("name")
