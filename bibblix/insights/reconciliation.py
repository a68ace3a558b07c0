"""Avstämning: the yearly reconciliation per member. For each (invoicing body, buyer) pair:
the buyer's connected days in the year, what the register and the fee schedule say should have
been invoiced, what was invoiced, credited and paid, and what is owed; differences are flagged.

Amounts include VAT (what the buyer pays), as billing.services.expected_fees gives them.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from bibblix.members import services as members

from . import billing_data

FLAGS = {
    "difference": _("Invoiced differs from what should have been invoiced"),
    "not_invoiced": _("Connected but nothing invoiced"),
    "overdue": _("Overdue invoice"),
    "overpaid": _("Paid more than invoiced"),
}


@dataclass
class ReconciliationRow:
    issuer_id: int | None
    issuer: str
    buyer_id: int
    buyer: str
    connected_days: int = 0
    expected_ore: int = 0
    invoiced_ore: int = 0
    credited_ore: int = 0
    paid_ore: int = 0
    overdue_ore: int = 0
    invoice_numbers: list[str] = field(default_factory=list)

    @property
    def net_invoiced_ore(self) -> int:
        return self.invoiced_ore - self.credited_ore

    @property
    def difference_ore(self) -> int:
        """Invoiced (after credits) minus expected: negative is under-invoiced."""
        return self.net_invoiced_ore - self.expected_ore

    @property
    def owed_ore(self) -> int:
        return self.net_invoiced_ore - self.paid_ore

    @property
    def flags(self) -> list[str]:
        found = []
        if self.connected_days and not self.invoiced_ore and not self.expected_ore:
            found.append("not_invoiced")
        elif self.difference_ore:
            found.append("difference")
        if self.overdue_ore:
            found.append("overdue")
        if self.owed_ore < 0:
            found.append("overpaid")
        return found

    @property
    def flag_labels(self) -> list[str]:
        return [str(FLAGS[flag]) for flag in self.flags]


@dataclass
class Reconciliation:
    year: int
    rows: list[ReconciliationRow]
    has_billing: bool
    pending_runs: list = field(default_factory=list)  # runs of the year waiting for approval

    @property
    def flagged(self) -> list[ReconciliationRow]:
        return [row for row in self.rows if row.flags]

    def total(self, name: str) -> int:
        return sum(getattr(row, name) for row in self.rows)


def connected_days(periods, year: int) -> int:
    """Days of `year` covered by connection periods [(start, end or None)], end exclusive."""
    first, after = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    days = 0
    for start, end in periods:
        start, end = max(start, first), min(end or after, after)
        days += max((end - start).days, 0)
    return days


def reconcile(year: int, *, municipality_id: int | None = None) -> Reconciliation:
    """The reconciliation of `year`; limited to one buyer when `municipality_id` is given."""
    expected = billing_data.expected_fees(year)
    ledger = billing_data.ledger(year, buyer_id=municipality_id)
    has_billing = ledger is not None and billing_data.knows_year(year)
    rows: dict[tuple, ReconciliationRow] = {}

    def row_for(issuer_id, buyer_id) -> ReconciliationRow:
        key = (issuer_id, buyer_id)
        if key not in rows:
            rows[key] = ReconciliationRow(issuer_id, "", buyer_id, "")
        return rows[key]

    for (issuer_id, buyer_id), amount in (expected or {}).items():
        if municipality_id is None or buyer_id == municipality_id:
            row_for(issuer_id, buyer_id).expected_ore += amount
    for entry in ledger or []:
        if entry.kind != "invoice":
            continue  # credit notes are counted on their invoice (credited_ore)
        row = row_for(entry.issuer_id, entry.buyer_id)
        row.invoiced_ore += entry.total_ore
        row.credited_ore += entry.credited_ore
        row.paid_ore += entry.paid_ore
        if entry.is_overdue:
            row.overdue_ore += entry.total_ore - entry.credited_ore - entry.paid_ore
        row.invoice_numbers.append(entry.number)
    _add_connected_members(year, rows, row_for, municipality_id)
    # A run waiting for approval explains a difference: its invoices are not issued yet.
    pending = [run for run in billing_data.pending_runs() or [] if run.year == year]
    return Reconciliation(year, _named(rows.values(), year), has_billing, pending)


def _add_connected_members(year, rows, row_for, municipality_id) -> None:
    """Every municipality connected some day of the year gets a row, so one that was never
    invoiced shows up; its invoicer is the one of its first connected day in the year."""
    found = members.municipalities([municipality_id] if municipality_id is not None else None)
    ids = list(found.values_list("pk", flat=True))
    billed_buyers = {buyer_id for _issuer, buyer_id in rows}
    for organisation_id, periods in members.connection_periods_for(ids).items():
        days = connected_days(periods, year)
        if not days:
            continue
        if organisation_id in billed_buyers:
            for (_issuer, buyer_id), row in rows.items():
                if buyer_id == organisation_id:
                    row.connected_days = days
            continue
        organisation = found.get(pk=organisation_id)
        invoicer = members.invoicer_on(organisation, _first_connected_day(periods, year))
        row_for(invoicer.pk if invoicer else None, organisation_id).connected_days = days


def _first_connected_day(periods, year: int) -> datetime.date:
    first = datetime.date(year, 1, 1)
    for start, end in periods:
        if end is None or end > first:
            return max(start, first)
    return first


def _named(rows, year) -> list[ReconciliationRow]:
    ids = {row.buyer_id for row in rows} | {row.issuer_id for row in rows if row.issuer_id}
    names = dict(members.organisations(ids).values_list("pk", "name"))
    for row in rows:
        row.buyer = names.get(row.buyer_id, "?")
        row.issuer = names.get(row.issuer_id, "–") if row.issuer_id else "–"
    return sorted(rows, key=lambda row: (row.buyer, row.issuer))
