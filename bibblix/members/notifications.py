"""E-mail to the service's coordinators: when a notice of termination is registered, and when a
go-live date approaches. Each mail is remembered (Notification), so nothing is sent twice."""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from .models import ConnectionEvent, Contact, Notification, StaffProfile

logger = logging.getLogger(__name__)


def coordinator_addresses() -> list[str]:
    """E-mail addresses of the service's coordinators: active Contacts with the coordinator
    role, and the association administrators' staff accounts."""
    contacts = Contact.objects.filter(role=Contact.Role.COORDINATOR, is_active=True).exclude(
        email=""
    )
    users = (
        get_user_model()
        .objects.filter(is_active=True, staff_profile__role=StaffProfile.Role.ASSOCIATION_ADMIN)
        .exclude(email="")
    )
    seen: dict[str, str] = {}
    for address in [
        *contacts.values_list("email", flat=True),
        *users.values_list("email", flat=True),
    ]:
        seen.setdefault(address.strip().lower(), address.strip())
    return sorted(seen.values())


def _send_once(kind: str, event: ConnectionEvent, subject: str, body: str) -> bool:
    """Send one mail about `event` unless one of this kind was sent already; True if sent."""
    recipients = coordinator_addresses()
    try:
        # The row is the claim: a second run (or a parallel worker) fails on the unique
        # constraint and sends nothing; a failed send rolls the claim back for the next run.
        with transaction.atomic():
            Notification.objects.create(kind=kind, event=event, recipient_count=len(recipients))
            if recipients:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except IntegrityError:
        return False
    logger.info("members: %s mail for event %s to %d recipients", kind, event.pk, len(recipients))
    return True


def _day(day: datetime.date) -> str:
    return date_format(day, "Y-m-d")


@task()
def send_termination_notice(notice_event_id: int) -> bool:
    """Tell the coordinators that a notice of termination was registered."""
    notice = ConnectionEvent.objects.select_related("organisation", "recorded_by").get(
        pk=notice_event_id
    )
    end = (
        notice.organisation.connection_events.filter(
            state=ConnectionEvent.State.ENDED,
            cancelled_at__isnull=True,
            effective_date__gte=notice.effective_date,
        )
        .order_by("effective_date")
        .first()
    )
    name = notice.organisation.name
    subject = _("Bibblix: %(name)s has given notice of termination") % {"name": name}
    lines = [
        _("%(name)s has given notice of termination of the Bibblix service.") % {"name": name},
        _("Notice date: %(day)s") % {"day": _day(notice.effective_date)},
    ]
    if notice.notice_period_months is not None:
        lines.append(
            _("Notice period: %(months)s months") % {"months": notice.notice_period_months}
        )
    if end:
        lines.append(
            _("End date (first day without the service): %(day)s")
            % {"day": _day(end.effective_date)}
        )
    if notice.reason:
        lines.append(_("Reason: %(reason)s") % {"reason": notice.reason})
    if notice.recorded_by:
        lines.append(_("Registered by: %(user)s") % {"user": notice.recorded_by.get_username()})
    return _send_once(Notification.Kind.TERMINATION, notice, subject, "\n".join(lines))


def notify_go_live(days: int = 14, today: datetime.date | None = None) -> list[ConnectionEvent]:
    """Mail the coordinators about each go-live within `days` days that was not mailed before."""
    today = today or timezone.localdate()
    upcoming = (
        ConnectionEvent.objects.filter(
            state=ConnectionEvent.State.CONNECTED,
            cancelled_at__isnull=True,
            effective_date__gte=today,
            effective_date__lte=today + datetime.timedelta(days=days),
        )
        .exclude(notifications__kind=Notification.Kind.GO_LIVE)
        .select_related("organisation")
        .order_by("effective_date")
    )
    sent = []
    for event in upcoming:
        name = event.organisation.name
        subject = _("Bibblix: %(name)s goes live on %(day)s") % {
            "name": name,
            "day": _day(event.effective_date),
        }
        body = _(
            "%(name)s is connected to Bibblix from %(day)s. Check that its libraries' login "
            "works and that its contacts have what they need."
        ) % {"name": name, "day": _day(event.effective_date)}
        if _send_once(Notification.Kind.GO_LIVE, event, subject, body):
            sent.append(event)
    return sent
