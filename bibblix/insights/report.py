"""The quarterly status report: its content built from the register, billing and the
statistics, and its workflow (draft → approved, frozen and versioned).

The content is a plain JSON-able dict, so an approved version stores exactly what was shown
(`StatusReport.snapshot`) and the preview, the PDF and the DOCX are all written from one dict.
"""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from bibblix.audit.services import record_change
from bibblix.members import services as members

from . import billing_data
from .budget import year_balance
from .models import StatusReport
from .quarters import YearQuarter
from .reconciliation import reconcile

MANAGED_OBJECT = "Bibblix/Sambruk"
TEXT_FIELDS = ("background", "events_note", "economy_note", "personnel")
CHART_METRIC = "loans"


def build_content(quarter: YearQuarter, texts: dict | None = None) -> dict:
    """Everything the report for `quarter` shows, from today's data."""
    last = quarter.last_day
    included = list(members.connected_on(last).order_by("name"))
    return {
        "managed_object": MANAGED_OBJECT,
        "year": quarter.year,
        "quarter": quarter.quarter,
        "first_day": quarter.first_day.isoformat(),
        "last_day": last.isoformat(),
        "built_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "coordinators": [
            {"name": c.name, "title": c.title, "email": c.email, "phone": c.phone}
            for c in members.coordinators().order_by("name")
        ],
        "municipalities": [
            {"name": m.name, "code": m.municipality_code, "county": m.county} for m in included
        ],
        "arrangement": _arrangement(last),
        "events": _register_events(quarter) + _billing_events(quarter),
        "economy": _economy(quarter),
        "usage": _usage(quarter),
        **{name: (texts or {}).get(name, "") for name in TEXT_FIELDS},
    }


def _arrangement(day: datetime.date) -> list[dict]:
    """Which body invoices whom on `day`, grouped by invoicer."""
    by_invoicer: dict[str, list[str]] = defaultdict(list)
    for invoicer, buyer, _membership in members.invoicing_arrangement_on(day):
        by_invoicer[invoicer.name if invoicer else ""].append(buyer.name)
    # "" (nobody invoices these members, e.g. a region paying for its group) sorts first.
    return [
        {"invoicer": invoicer, "buyers": sorted(buyers)}
        for invoicer, buyers in sorted(by_invoicer.items())
    ]


def _register_events(quarter: YearQuarter) -> list[dict]:
    events = members.connection_events_between(quarter.first_day, quarter.last_day)
    wanted = {"connected", "notice_given", "ended", "agreement_signed"}
    today = members.today()
    return [
        {
            "date": event.effective_date.isoformat(),
            "kind": event.state,
            "organisation": event.organisation.name,
            "is_planned": event.effective_date > today,  # as of when the report was built
        }
        for event in events
        if event.state in wanted
    ]


def _billing_events(quarter: YearQuarter) -> list[dict]:
    """Invoicing done in the quarter, one line per invoicer and issue date (an approved run)."""
    rows = billing_data.issued_between(quarter.first_day, quarter.last_day, None) or []
    runs: dict[tuple, list] = defaultdict(list)
    for row in rows:
        if row.kind == "invoice":
            runs[(row.issue_date, row.issuer)].append(row)
    return [
        {
            "date": day.isoformat(),
            "kind": "billing",
            "organisation": issuer,
            "count": len(found),
            "total_ore": sum(row.total_ore for row in found),
        }
        for (day, issuer), found in sorted(runs.items())
    ]


def _economy(quarter: YearQuarter) -> dict:
    balances = [b for b in year_balance(quarter.year) if b.quarter <= quarter]
    reconciliation = reconcile(quarter.year)
    return {
        "has_billing": reconciliation.has_billing,
        "quarters": [balance.as_dict() for balance in balances],
        "reconciliation": {
            "year": quarter.year,
            "members": len(reconciliation.rows),
            "flagged": len(reconciliation.flagged),
            "expected_ore": reconciliation.total("expected_ore"),
            "invoiced_ore": reconciliation.total("net_invoiced_ore"),
            "paid_ore": reconciliation.total("paid_ore"),
            "owed_ore": reconciliation.total("owed_ore"),
        },
    }


def _usage(quarter: YearQuarter) -> dict:
    """Usage figures for the quarter and the monthly trend of the last twelve months."""
    from . import services

    values = services.usage_figures(quarter.first_day, quarter.last_day, for_association=True)
    months = services.monthly_trend(
        CHART_METRIC, _months_before(quarter, 11), quarter.last_day, for_association=True
    )
    return {
        "available": True,
        "figures": usage_rows(values),
        "top_books": [[name, value] for _key, name, value in values["top_books"][:5]],
        "chart_metric": CHART_METRIC,
        "trend": [[month.isoformat()[:7], value] for month, value in months],
    }


def usage_rows(values: dict) -> list[list]:
    """[metric, value] pairs of a usage_figures result, in the order the report shows them."""
    totals = values["totals"]
    return [
        ["loans", totals["loans"]],
        ["active_readers", values["active_readers_per_month"]],
        ["new_readers", totals["new_readers"]],
        ["reading_minutes", totals["reading_minutes"]],
        ["pages", totals["pages"]],
        ["books_finished", totals["books_finished"]],
        ["loans_per_1000", values["loans_per_1000"]],
    ]


def _months_before(quarter: YearQuarter, months: int) -> datetime.date:
    """The first day of the month `months` before the quarter's last month."""
    index = quarter.year * 12 + quarter.last_day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


# --- workflow ------------------------------------------------------------------------------


def content_of(report: StatusReport) -> dict:
    """What `report` shows: its frozen snapshot once approved, else built from today's data."""
    if report.is_approved and report.snapshot:
        return report.snapshot
    texts = {name: getattr(report, name) for name in TEXT_FIELDS}
    return build_content(YearQuarter(report.year, report.quarter), texts)


def versions_of(quarter: YearQuarter):
    return StatusReport.objects.filter(year=quarter.year, quarter=quarter.quarter)


def current_report(quarter: YearQuarter) -> StatusReport | None:
    """The quarter's open draft, else its latest approved version, else None."""
    found = versions_of(quarter)
    return found.filter(state=StatusReport.State.DRAFT).first() or found.first()


@transaction.atomic
def start_draft(quarter: YearQuarter, user=None) -> StatusReport:
    """The quarter's open draft; a new version (with the last version's texts) if none is open."""
    versions = versions_of(quarter).select_for_update()
    draft = versions.filter(state=StatusReport.State.DRAFT).first()
    if draft:
        return draft
    latest = versions.order_by("-version").first()
    number = (versions.aggregate(top=Max("version"))["top"] or 0) + 1
    texts = {name: getattr(latest, name) for name in TEXT_FIELDS} if latest else {}
    draft = StatusReport.objects.create(
        year=quarter.year, quarter=quarter.quarter, version=number, **texts
    )
    record_change(user, "statusreport_draft", draft, {"version": [None, number]})
    return draft


@transaction.atomic
def approve_report(report: StatusReport, user, reason: str = "") -> StatusReport:
    """Freeze `report`: its content now is what it will always show. Approving twice changes
    nothing."""
    report = StatusReport.objects.select_for_update().get(pk=report.pk)
    if report.is_approved:
        return report
    report.snapshot = content_of(report)
    report.state = StatusReport.State.APPROVED
    report.approved_at = timezone.now()
    report.approved_by = user
    report.save(update_fields=["snapshot", "state", "approved_at", "approved_by", "updated_at"])
    record_change(
        user, "approve_statusreport", report, {"state": ["draft", "approved"]}, reason=reason
    )
    return report
