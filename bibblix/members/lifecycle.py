"""The connection lifecycle as an explicit state machine.

enquiry → application → agreement signed → connected (go-live) → notice of termination → ended,
and re-connection of an ended member. Each step is a dated ConnectionEvent that records who, when
and why. The history is written in date order: a step is never dated before the latest step, so
the state on any day is simply the latest step up to that day, and a future-dated step (a go-live
next month, an end date after a notice period) takes effect by itself, with no job.
"""

import calendar
import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bibblix.audit.services import record_change

from .models import ConnectionEvent, Organisation

State = ConnectionEvent.State

# verb → (states it may follow, state it leads to). None is "no history yet".
TRANSITIONS: dict[str, tuple[frozenset, str]] = {
    "register_enquiry": (frozenset({None, State.ENDED}), State.ENQUIRY),
    "register_application": (frozenset({None, State.ENQUIRY, State.ENDED}), State.APPLICATION),
    "sign_agreement": (frozenset({State.APPLICATION}), State.AGREEMENT_SIGNED),
    "connect": (frozenset({State.AGREEMENT_SIGNED}), State.CONNECTED),
    "register_termination": (frozenset({State.CONNECTED}), State.NOTICE_GIVEN),
    "end_connection": (frozenset({State.CONNECTED, State.NOTICE_GIVEN}), State.ENDED),
    "withdraw_termination": (frozenset({State.NOTICE_GIVEN}), State.CONNECTED),
    "reconnect": (frozenset({State.ENDED}), State.CONNECTED),
}
ALLOWED_NEXT: dict[str | None, set[str]] = {}
for _sources, _target in TRANSITIONS.values():
    for _source in _sources:
        ALLOWED_NEXT.setdefault(_source, set()).add(_target)


class TransitionRefused(ValidationError):
    """A lifecycle step that the state machine does not allow; the message is for staff."""


def _today() -> datetime.date:
    return timezone.localdate()


def _label(state: str | None) -> str:
    return State(state).label if state else _("no history")


def _date(day: datetime.date) -> str:
    return date_format(day, "Y-m-d")


def active_events(organisation: Organisation):
    """The organisation's steps that were not cancelled, in history order."""
    return organisation.connection_events.filter(cancelled_at__isnull=True).order_by(
        "effective_date", "recorded_at", "pk"
    )


def _last_two(organisation: Organisation) -> tuple[ConnectionEvent | None, ConnectionEvent | None]:
    events = list(active_events(organisation).reverse()[:2])
    return (events[0] if events else None, events[1] if len(events) > 1 else None)


def pending_end(organisation: Organisation) -> ConnectionEvent | None:
    """The planned (future) end that follows a notice of termination, if there is one."""
    last, previous = _last_two(organisation)
    if (
        last
        and last.state == State.ENDED
        and last.effective_date > _today()
        and previous
        and previous.state == State.NOTICE_GIVEN
    ):
        return last
    return None


def _lock(organisation: Organisation) -> Organisation:
    # Two staff members acting on one member at once must not both pass the check against the
    # same latest step: the organisation row is the lock for its history.
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def _check(organisation: Organisation, state: str, day: datetime.date, sources=None) -> None:
    last, _previous = _last_two(organisation)
    last_state = last.state if last else None
    if sources is not None:
        is_allowed = last_state in sources
    else:
        is_allowed = state in ALLOWED_NEXT.get(last_state, set())
    if not is_allowed:
        raise TransitionRefused(
            _("%(name)s cannot go from “%(current)s” to “%(next)s”.")
            % {"name": organisation.name, "current": _label(last_state), "next": _label(state)},
            code="illegal_transition",
        )
    if last and day < last.effective_date:
        raise TransitionRefused(
            _(
                "The date %(day)s is before the latest step in the history "
                "(%(state)s %(last)s). The history is written in date order."
            )
            % {"day": _date(day), "state": _label(last.state), "last": _date(last.effective_date)},
            code="before_latest",
        )


def _add(
    organisation: Organisation, state: str, day: datetime.date, reason: str, user, **extra
) -> ConnectionEvent:
    event = ConnectionEvent.objects.create(
        organisation=organisation,
        state=state,
        effective_date=day,
        reason=reason or "",
        recorded_by=user if getattr(user, "is_authenticated", False) else None,
        **extra,
    )
    record_change(
        user,
        f"connection: {state}",
        organisation,
        {"connection": ["", f"{state} {day.isoformat()}"]},
        reason=reason or "",
        municipality_id=organisation.pk if organisation.is_municipality else None,
    )
    return event


def _step(verb: str, member: Organisation, day: datetime.date, reason: str, user, **extra):
    sources, target = TRANSITIONS[verb]
    with transaction.atomic():
        member = _lock(member)
        _check_member(member)
        _check(member, target, day, sources)
        return _add(member, target, day, reason, user, **extra)


def _check_member(member: Organisation) -> None:
    if member.kind != Organisation.Kind.MUNICIPALITY:
        raise TransitionRefused(
            _("Only municipalities connect to the service, and %(name)s is not one.")
            % {"name": member.name},
            code="not_municipality",
        )


def register_enquiry(member: Organisation, day: datetime.date, reason: str = "", user=None):
    """Record that `member` enquired about the service on `day`."""
    return _step("register_enquiry", member, day, reason, user)


def register_application(member: Organisation, day: datetime.date, reason: str = "", user=None):
    """Record `member`'s application to connect, received on `day`."""
    return _step("register_application", member, day, reason, user)


def sign_agreement(member: Organisation, day: datetime.date, reason: str = "", user=None):
    """Record that the connection agreement with `member` was signed on `day`."""
    return _step("sign_agreement", member, day, reason, user)


def connect(member: Organisation, go_live: datetime.date, reason: str = "", user=None):
    """Connect `member` from its go-live date (may be in the future)."""
    return _step("connect", member, go_live, reason, user)


def reconnect(member: Organisation, go_live: datetime.date, reason: str = "", user=None):
    """Connect an ended member again from `go_live`."""
    return _step("reconnect", member, go_live, reason, user)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus `months` calendar months, clamped to the month's last day (31 Aug + 6 = 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def termination_end_date(
    notice_date: datetime.date, end_date: datetime.date | None, notice_months: int | None
) -> datetime.date:
    """The end date of a termination: given, or the notice date plus the notice period."""
    earliest = add_months(notice_date, notice_months) if notice_months is not None else notice_date
    if end_date is None and notice_months is None:
        raise TransitionRefused(
            _("Give an end date or a notice period."), code="termination_without_end"
        )
    if end_date is not None and end_date < earliest:
        raise TransitionRefused(
            _("The end date %(end)s is before the notice period runs out (%(earliest)s).")
            % {"end": _date(end_date), "earliest": _date(earliest)},
            code="end_before_notice_period",
        )
    return end_date or earliest


def register_termination(
    member: Organisation,
    notice_date: datetime.date,
    end_date: datetime.date | None = None,
    notice_months: int | None = None,
    reason: str = "",
    user=None,
    notify: bool = True,
) -> ConnectionEvent:
    """Register `member`'s notice of termination; the connection ends by itself on the end date
    (the first day without the service). Coordinators are told by e-mail unless notify=False."""
    end = termination_end_date(notice_date, end_date, notice_months)
    with transaction.atomic():
        member = _lock(member)
        _check_member(member)
        if pending_end(member):
            raise TransitionRefused(
                _("%(name)s has already given notice.") % {"name": member.name},
                code="already_terminated",
            )
        _check(member, State.NOTICE_GIVEN, notice_date, TRANSITIONS["register_termination"][0])
        notice = _add(
            member,
            State.NOTICE_GIVEN,
            notice_date,
            reason,
            user,
            notice_period_months=notice_months,
        )
        _add(member, State.ENDED, end, _("Notice period runs out.") + _reason_suffix(reason), user)
        if notify:
            from .notifications import send_termination_notice

            transaction.on_commit(lambda: send_termination_notice.enqueue(notice.pk))
    return notice


def _reason_suffix(reason: str) -> str:
    return f" {reason}" if reason else ""


def _cancel(events: Iterable[ConnectionEvent], reason: str, user) -> None:
    for event in events:
        event.cancelled_at = timezone.now()
        event.cancelled_by = user if getattr(user, "is_authenticated", False) else None
        event.cancel_reason = reason or ""
        event.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
        organisation = event.organisation
        record_change(
            user,
            "connection: cancelled",
            organisation,
            {"connection": [f"{event.state} {event.effective_date.isoformat()}", ""]},
            reason=reason or "",
            municipality_id=organisation.pk if organisation.is_municipality else None,
        )


def end_connection(member: Organisation, end_date: datetime.date, reason: str = "", user=None):
    """End `member`'s connection from `end_date` (first day without the service); after a notice
    this moves the planned end date."""
    with transaction.atomic():
        member = _lock(member)
        _check_member(member)
        planned = pending_end(member)
        if planned:
            _cancel([planned], _("End date moved to %(day)s.") % {"day": _date(end_date)}, user)
        _check(member, State.ENDED, end_date, TRANSITIONS["end_connection"][0])
        return _add(member, State.ENDED, end_date, reason, user)


def withdraw_termination(member: Organisation, reason: str = "", user=None, day=None):
    """Withdraw `member`'s notice of termination: the planned end is cancelled and the member
    stays connected."""
    day = day or _today()
    with transaction.atomic():
        member = _lock(member)
        _check_member(member)
        planned = pending_end(member)
        if planned:
            _cancel([planned], _("Notice withdrawn.") + _reason_suffix(reason), user)
        last, _previous = _last_two(member)
        if last and last.state == State.NOTICE_GIVEN and last.effective_date > day:
            # The notice itself lies ahead: nothing has happened yet, so it is simply cancelled.
            _cancel([last], _("Notice withdrawn.") + _reason_suffix(reason), user)
            return last
        _check(member, State.CONNECTED, day, TRANSITIONS["withdraw_termination"][0])
        return _add(member, State.CONNECTED, day, reason or _("Notice withdrawn."), user)


def cancel_planned_step(member: Organisation, reason: str = "", user=None) -> ConnectionEvent:
    """Cancel `member`'s latest step if it lies in the future (a go-live that moved, a mistake)."""
    with transaction.atomic():
        member = _lock(member)
        last, previous = _last_two(member)
        if last is None or last.effective_date <= _today():
            raise TransitionRefused(
                _("Only a planned step (dated after today) can be cancelled."),
                code="not_planned",
            )
        to_cancel = [last]
        if pending_end(member) and previous.effective_date > _today():
            to_cancel.append(previous)  # a future notice goes with its end date
        _cancel(to_cancel, reason, user)
        return last


def record_event(
    organisation: Organisation,
    state: str,
    effective_date: datetime.date,
    reason: str = "",
    user=None,
) -> ConnectionEvent:
    """Add one dated step as given (imports, demo data); a history may start in any state, after
    that only the state machine's steps are accepted."""
    with transaction.atomic():
        organisation = _lock(organisation)
        last, _previous = _last_two(organisation)
        if last is not None:
            _check(organisation, state, effective_date)
        return _add(organisation, state, effective_date, reason, user)


def legal_actions(member: Organisation) -> list[str]:
    """The verbs staff may use on `member` now, in lifecycle order."""
    if member.kind != Organisation.Kind.MUNICIPALITY:
        return []
    last, _previous = _last_two(member)
    last_state = last.state if last else None
    actions = [verb for verb, (sources, _t) in TRANSITIONS.items() if last_state in sources]
    if pending_end(member):
        actions = ["end_connection", "withdraw_termination"]
    if last and last.effective_date > _today():
        actions.append("cancel_planned_step")
    return actions
