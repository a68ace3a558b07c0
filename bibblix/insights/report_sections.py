"""The status report's content (a frozen or live dict) as display-ready sections in the active
language. The preview page, the PDF and the DOCX are all written from these sections, so the
three show the same words and figures."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bibblix.lib.money import format_sek

from .models import Quarter

EVENT_LABELS = {
    "agreement_signed": lambda: _("agreement signed"),
    "connected": lambda: _("connected (go-live)"),
    "notice_given": lambda: _("notice of termination"),
    "ended": lambda: _("connection ended"),
}
USAGE_LABELS = {
    "loans": lambda: _("Loans"),
    "active_readers": lambda: _("Active readers per month (average)"),
    "new_readers": lambda: _("New readers"),
    "reading_minutes": lambda: _("Reading minutes"),
    "pages": lambda: _("Pages read"),
    "books_finished": lambda: _("Books finished"),
    "loans_per_1000": lambda: _("Loans per 1,000 inhabitants"),
}
NO_BILLING = lambda: _("Invoicing is missing for the period")  # noqa: E731


def _kr(ore) -> str:
    return "–" if ore is None else format_sek(ore)


def number(value) -> str:
    """A figure the Swedish way: 12 345 and 1,5; "–" for None."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.1f}".replace(",", "\u00a0").replace(".", ",")
    return f"{value:,}".replace(",", "\u00a0")


def sections(content: dict) -> dict:
    """Display-ready sections of the report `content`."""
    count = len(content["municipalities"])
    return {
        "title": _("Status report %(year)s Q%(quarter)s") % content,
        "managed_object": content["managed_object"],
        "quarters": [(str(label), value == content["quarter"]) for value, label in Quarter.choices],
        "period": f"{content['first_day']} – {content['last_day']}",
        "coordinators": [_person(person) for person in content["coordinators"]],
        "background": content["background"],
        "included_heading": ngettext(
            "This %(count)d municipality is included",
            "These %(count)d municipalities are included",
            count,
        )
        % {"count": count},
        "municipalities": [m["name"] for m in content["municipalities"]],
        "arrangement": [_arrangement_line(row) for row in content["arrangement"]],
        "events": [_event(event) for event in content["events"]],
        "events_note": content["events_note"],
        "economy": _economy(content["economy"]),
        "economy_note": content["economy_note"],
        "personnel": content["personnel"],
        "usage": _usage(content["usage"]),
        "status_line": _("Built %(built_at)s from the register, billing and statistics.") % content,
    }


def _arrangement_line(row: dict) -> str:
    buyers = ", ".join(row["buyers"])
    if not row["invoicer"]:
        return _("Not invoiced by anyone: %(buyers)s") % {"buyers": buyers}
    return _("%(invoicer)s invoices: %(buyers)s") % {"invoicer": row["invoicer"], "buyers": buyers}


def _person(person: dict) -> str:
    return ", ".join(
        part for part in (person["name"], person["title"], person["email"], person["phone"]) if part
    )


def _event(event: dict) -> str:
    if event["kind"] == "billing":
        what = _("invoicing: %(count)d invoices, %(total)s") % {
            "count": event["count"],
            "total": format_sek(event["total_ore"]),
        }
    else:
        what = EVENT_LABELS[event["kind"]]()
        if event.get("is_planned"):
            what += " " + _("(planned)")
    return f"{event['date']} {event['organisation']}: {what}"


def _economy(economy: dict) -> dict:
    headers = [
        _("Quarter"),
        _("Budgeted revenue"),
        _("Budgeted cost"),
        _("Budgeted result"),
        _("Invoiced (net)"),
        _("Costs"),
        _("Result"),
        _("Deviation"),
        _("In balance"),
    ]
    rows = []
    for q in economy["quarters"]:
        balance = {True: _("yes"), False: _("no"), None: "–"}[q["is_in_balance"]]
        rows.append(
            [
                q["quarter"],
                _kr(q["budget_revenue_ore"]),
                _kr(q["budget_cost_ore"]),
                _kr(q["budget_result_ore"]),
                _kr(q["revenue_ore"]),
                _kr(q["cost_ore"]),
                _kr(q["result_ore"]),
                _kr(q["deviation_ore"]),
                balance,
            ]
        )
    r = economy["reconciliation"]
    if economy["has_billing"]:
        reconciliation = _(
            "Reconciliation %(year)s: %(members)d members, %(flagged)d flagged (differences, "
            "overdue or overpaid); "
            "should be invoiced %(expected)s, invoiced %(invoiced)s, paid %(paid)s, owed %(owed)s."
        ) % {
            "year": r["year"],
            "members": r["members"],
            "flagged": r["flagged"],
            "expected": format_sek(r["expected_ore"]),
            "invoiced": format_sek(r["invoiced_ore"]),
            "paid": format_sek(r["paid_ore"]),
            "owed": format_sek(r["owed_ore"]),
        }
    else:
        reconciliation = ""  # the section already says that invoicing is missing
    return {
        "has_billing": economy["has_billing"],
        "no_billing": NO_BILLING(),
        "headers": headers,
        "rows": rows,
        "reconciliation": reconciliation,
    }


def _usage(usage: dict) -> dict:
    if not usage["available"]:
        return {"available": False, "missing": _("Usage statistics are missing for the period.")}
    return {
        "available": True,
        "rows": [
            (str(USAGE_LABELS[name]()) if name in USAGE_LABELS else name, number(value))
            for name, value in usage["figures"]
        ],
        "top_books_title": _("Most borrowed books"),
        "top_books": [(name, number(value)) for name, value in usage.get("top_books", [])],
        "chart_title": _("Loans per month, last twelve months"),
        "trend": usage["trend"],
    }
