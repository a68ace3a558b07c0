"""The staff area's first page: what needs attention, per role, instead of a bare list of
tables. Each panel is a title, a few lines (text and where to act) and a link to the full list.
Billing panels read billing.services through billing_data and say "nothing yet" without it."""

import datetime
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from bibblix.lib.money import format_sek
from bibblix.members import services as members

from . import billing_data
from . import report as reports
from .quarters import quarter_of
from .review import review

AHEAD_DAYS = 90
MAX_LINES = 8


@dataclass
class Panel:
    key: str
    title: str
    lines: list[tuple[str, str]] = field(default_factory=list)  # (text, url or "")
    empty: str = ""
    link: tuple[str, str] | None = None  # (text, url) to the full list


def _url(name: str, *args, query: str = "") -> str:
    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return ""


def panels_for(user, today: datetime.date | None = None) -> list[Panel]:
    """The panels `user` sees on the staff home."""
    today = today or members.today()
    role = members.staff_role(user)
    if user.is_superuser or role == members.StaffProfile.Role.ASSOCIATION_ADMIN:
        return [
            _ahead(today),
            _runs_to_approve(),
            _overdue(today),
            _review_flags(today),
            _report_state(today),
        ]
    if role == members.StaffProfile.Role.ECONOMY:
        return [_runs_to_approve(), _payments(today), _unmatched(), _overdue(today)]
    municipality_id = members.staff_municipality_id(user)
    if municipality_id is None:
        return []
    municipality = members.get_member_for_staff(user, municipality_id)
    panels = [_own_figures(municipality, today), _own_contacts(municipality)]
    if user.has_module_perms("insights"):
        panels.insert(1, _own_invoices(municipality))
    return panels


def _ahead(today) -> Panel:
    events = members.connection_events_between(
        today + datetime.timedelta(days=1), today + datetime.timedelta(days=AHEAD_DAYS)
    ).filter(state__in=["connected", "ended"])
    lines = [
        (
            f"{e.effective_date:%Y-%m-%d} {e.organisation.name}: {e.get_state_display().lower()}",
            _url("admin:members_organisation_member", e.organisation_id),
        )
        for e in events[:MAX_LINES]
    ]
    return Panel(
        "ahead",
        _("Go-lives and terminations in the next %(days)d days") % {"days": AHEAD_DAYS},
        lines,
        _("Nothing planned."),
        (_("The register"), _url("admin:members_organisation_changelist")),
    )


def _runs_to_approve() -> Panel:
    runs = billing_data.pending_runs()
    lines = [
        (
            _("%(run)s: %(count)d invoices, %(total)s")
            % {"run": run, "count": run.invoice_count, "total": format_sek(run.total_ore)},
            _url("admin:billing_billingrun_change", run.id),
        )
        for run in (runs or [])[:MAX_LINES]
    ]
    empty = (
        _("No billing runs wait for approval.")
        if runs is not None
        else _("Nothing yet: invoicing is not set up.")
    )
    return Panel("runs", _("Billing runs to approve"), lines, empty)


def _overdue(today) -> Panel:
    rows = billing_data.ledger(None, today=today)
    overdue = [row for row in rows or [] if row.is_overdue]
    lines = [
        (
            _("%(number)s %(buyer)s, due %(due)s, %(left)s left")
            % {
                "number": row.number,
                "buyer": row.buyer,
                "due": row.due_date,
                "left": format_sek(row.total_ore - row.credited_ore - row.paid_ore),
            },
            _url("admin:billing_invoice_change", row.invoice_id),
        )
        for row in overdue[:MAX_LINES]
    ]
    empty = (
        _("No overdue invoices.")
        if rows is not None
        else _("Nothing yet: invoicing is not set up.")
    )
    return Panel("overdue", _("Overdue invoices"), lines, empty)


def _review_flags(today) -> Panel:
    rows, _has_logins, _has_billing = review(today)
    lines = [
        (f"{row.municipality.name}: {flag.label}", flag.url) for row in rows for flag in row.flags
    ]
    title = ngettext(
        "Review of connected libraries: %(count)d flag",
        "Review of connected libraries: %(count)d flags",
        len(lines),
    ) % {"count": len(lines)}
    return Panel(
        "review",
        title,
        lines[:MAX_LINES],
        _("No flags."),
        (_("The whole review"), _url("insights_staff:review")),
    )


def _report_state(today) -> Panel:
    quarter = quarter_of(today)
    current = reports.current_report(quarter)
    if current is None:
        text = _("%(quarter)s: not started") % {"quarter": quarter}
    elif current.is_approved:
        text = _("%(quarter)s: version %(version)d approved") % {
            "quarter": quarter,
            "version": current.version,
        }
    else:
        text = _("%(quarter)s: version %(version)d is a draft") % {
            "quarter": quarter,
            "version": current.version,
        }
    url = _url("insights_staff:report_quarter", str(quarter))
    return Panel(
        "report",
        _("This quarter's status report"),
        [(text, url)],
        link=(_("All status reports"), _url("admin:insights_statusreport_changelist")),
    )


def _payments(today) -> Panel:
    payments = billing_data.payments_between(today - datetime.timedelta(days=30), today)
    lines = [
        (f"{p.paid_on:%Y-%m-%d} {p.payer_name or p.reference}: {format_sek(p.amount_ore)}", "")
        for p in (payments or [])[:MAX_LINES]
    ]
    empty = (
        _("No payments in the last 30 days.")
        if payments is not None
        else _("Nothing yet: payments are not imported.")
    )
    return Panel("payments", _("Payments, last 30 days"), lines, empty)


def _unmatched() -> Panel:
    payments = billing_data.unmatched_payments()
    lines = [
        (
            f"{p.paid_on:%Y-%m-%d} {p.payer_name or p.reference}: {format_sek(p.amount_ore)}",
            _url("admin:billing_payment_change", p.pk),
        )
        for p in (payments or [])[:MAX_LINES]
    ]
    empty = (
        _("No unmatched payments.")
        if payments is not None
        else _("Nothing yet: payments are not imported.")
    )
    return Panel("unmatched", _("Unmatched payments"), lines, empty)


def _own_figures(municipality, today) -> Panel:
    from . import services
    from .report_sections import USAGE_LABELS, number

    quarter = quarter_of(today)
    values = services.usage_figures(
        quarter.first_day, today, municipality_id=municipality.pk, for_association=False
    )
    lines = [
        (f"{USAGE_LABELS[name]()}: {'< 5' if value is None else number(value)}", "")
        for name, value in reports.usage_rows(values)
    ]
    return Panel(
        "figures",
        _("Your figures this quarter"),
        lines,
        _("No figures yet."),
        (_("Statistics"), _url("insights_dashboard_municipality", municipality.pk)),
    )


INVOICE_STATES = {
    "open": lambda: pgettext("invoice state", "open"),
    "partly_paid": lambda: pgettext("invoice state", "partly paid"),
    "paid": lambda: pgettext("invoice state", "paid"),
    "overpaid": lambda: pgettext("invoice state", "overpaid"),
    "credited": lambda: pgettext("invoice state", "credited"),
}


def _own_invoices(municipality) -> Panel:
    rows = billing_data.invoices_for_member(municipality.pk)
    lines = [
        (
            _("%(number)s %(date)s, %(total)s: %(state)s")
            % {
                "number": r.number,
                "date": r.issue_date,
                "total": format_sek(r.total_ore),
                "state": r.state,
            },
            _url("admin:billing_invoice_change", r.invoice_id),
        )
        for r in (rows or [])[:MAX_LINES]
    ]
    empty = _("No invoices.") if rows is not None else _("Nothing yet: invoicing is not set up.")
    return Panel("invoices", _("Your invoices"), lines, empty)


def _own_contacts(municipality) -> Panel:
    lines = [
        (f"{c.get_role_display()}: {c.name} {c.email}".strip(), "")
        for c in members.contacts_of(municipality)
    ]
    return Panel(
        "contacts",
        _("Your contacts"),
        lines,
        _("No contacts: add one so the association can reach you."),
        (_("Edit"), _url("admin:members_organisation_change", municipality.pk)),
    )
