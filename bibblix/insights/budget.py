"""Budget per quarter: budgeted revenue and cost against the outcome.

Outcome revenue is what the association invoiced in the quarter (net of VAT, by issue date;
credit notes issued in the quarter reduce it). Outcome cost is the costs entered by staff.
Payments received are shown beside it (cash), but the balance is on what was invoiced.
A quarter is in balance when its result (revenue − cost) is not below the budgeted result.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Sum

from bibblix.members import services as members

from . import billing_data
from .models import BudgetLine, CostLine
from .quarters import YearQuarter, quarters_of


@dataclass(frozen=True)
class QuarterBalance:
    quarter: YearQuarter
    budget_revenue_ore: int
    budget_cost_ore: int
    invoiced_ore: int | None  # None: no ledger for the period
    credited_ore: int | None
    paid_ore: int | None  # None: billing records no payments yet
    cost_ore: int

    @property
    def revenue_ore(self) -> int | None:
        if self.invoiced_ore is None:
            return None
        return self.invoiced_ore - self.credited_ore

    @property
    def budget_result_ore(self) -> int:
        return self.budget_revenue_ore - self.budget_cost_ore

    @property
    def result_ore(self) -> int | None:
        return None if self.revenue_ore is None else self.revenue_ore - self.cost_ore

    @property
    def deviation_ore(self) -> int | None:
        """Outcome result minus budgeted result: negative is worse than budgeted."""
        return None if self.result_ore is None else self.result_ore - self.budget_result_ore

    @property
    def is_in_balance(self) -> bool | None:
        return None if self.deviation_ore is None else self.deviation_ore >= 0

    def as_dict(self) -> dict:
        return {
            "quarter": str(self.quarter),
            "budget_revenue_ore": self.budget_revenue_ore,
            "budget_cost_ore": self.budget_cost_ore,
            "budget_result_ore": self.budget_result_ore,
            "invoiced_ore": self.invoiced_ore,
            "credited_ore": self.credited_ore,
            "revenue_ore": self.revenue_ore,
            "paid_ore": self.paid_ore,
            "cost_ore": self.cost_ore,
            "result_ore": self.result_ore,
            "deviation_ore": self.deviation_ore,
            "is_in_balance": self.is_in_balance,
        }


def _budget(quarter: YearQuarter, kind: str) -> int:
    lines = BudgetLine.objects.filter(year=quarter.year, quarter=quarter.quarter, kind=kind)
    return lines.aggregate(total=Sum("amount_ore"))["total"] or 0


def _costs(start: datetime.date, end: datetime.date) -> int:
    lines = CostLine.objects.filter(date__gte=start, date__lte=end)
    return lines.aggregate(total=Sum("amount_ore"))["total"] or 0


def quarter_balance(quarter: YearQuarter) -> QuarterBalance:
    """Budget against outcome for one quarter."""
    start, end = quarter.first_day, quarter.last_day
    association = members.association()
    has_billing = association is not None and billing_data.knows_year(quarter.year)
    rows = billing_data.issued_between(start, end, association.pk) if has_billing else None
    payments = billing_data.payments_between(start, end, association.pk) if has_billing else None
    return QuarterBalance(
        quarter=quarter,
        budget_revenue_ore=_budget(quarter, BudgetLine.Kind.REVENUE),
        budget_cost_ore=_budget(quarter, BudgetLine.Kind.COST),
        invoiced_ore=None if rows is None else sum(r.net_ore for r in rows if r.kind == "invoice"),
        credited_ore=None if rows is None else sum(r.net_ore for r in rows if r.kind != "invoice"),
        paid_ore=None if payments is None else sum(p.amount_ore for p in payments),
        cost_ore=_costs(start, end),
    )


def year_balance(year: int) -> list[QuarterBalance]:
    """The four quarters of `year`, budget against outcome."""
    return [quarter_balance(quarter) for quarter in quarters_of(year)]
