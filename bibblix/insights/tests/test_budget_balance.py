"""Budget per quarter: budgeted result against the outcome, with the deviation."""

import pytest

from bibblix.insights.budget import QuarterBalance, quarter_balance, year_balance
from bibblix.insights.models import BudgetLine, CostLine
from bibblix.insights.quarters import YearQuarter

from .report_builders import day

Q1 = YearQuarter(2026, 1)


def _budget(quarter, kind, amount, label="rad"):
    BudgetLine.objects.create(year=2026, quarter=quarter, kind=kind, label=label, amount_ore=amount)


def test_budget_and_costs_are_summed_per_quarter(db):
    _budget(1, "revenue", 300_000_00, "Årsavgifter")
    _budget(1, "revenue", 20_000_00, "Anslutningsavgifter")
    _budget(1, "cost", 250_000_00, "Licenser")
    _budget(2, "cost", 99_00)
    CostLine.objects.create(date=day("2026-03-31"), label="Licenser", amount_ore=240_000_00)
    CostLine.objects.create(date=day("2026-04-01"), label="Hosting", amount_ore=5_000_00)
    q1, q2, q3, _q4 = year_balance(2026)
    assert (q1.budget_revenue_ore, q1.budget_cost_ore, q1.budget_result_ore) == (
        320_000_00,
        250_000_00,
        70_000_00,
    )
    assert (q1.cost_ore, q2.cost_ore, q3.cost_ore) == (240_000_00, 5_000_00, 0)
    assert q2.budget_cost_ore == 99_00


def _balance(invoiced, credited, cost, budget_revenue=100_00, budget_cost=60_00):
    return QuarterBalance(Q1, budget_revenue, budget_cost, invoiced, credited, None, cost)


@pytest.mark.parametrize(
    ("invoiced", "credited", "cost", "deviation", "in_balance"),
    [
        (100_00, 0, 60_00, 0, True),  # exactly as budgeted
        (100_00, 10_00, 60_00, -10_00, False),  # a credit note made the result worse
        (120_00, 0, 50_00, 30_00, True),
    ],
)
def test_in_balance_when_the_result_is_not_below_the_budgeted_result(
    invoiced, credited, cost, deviation, in_balance
):
    balance = _balance(invoiced, credited, cost)
    assert balance.result_ore == invoiced - credited - cost
    assert (balance.deviation_ore, balance.is_in_balance) == (deviation, in_balance)


def test_without_a_ledger_the_balance_is_unknown_not_zero():
    balance = _balance(None, None, 60_00)
    assert (balance.revenue_ore, balance.result_ore, balance.is_in_balance) == (None, None, None)


def test_the_budget_page_shows_kronor(client, coordinator):
    _budget(1, "revenue", 1_234_550)
    client.force_login(coordinator)
    page = client.get("/staff/insights/budget/?year=2026").content.decode()
    assert "12\u00a0345,50\u00a0kr" in page
    assert client.get("/staff/insights/budget/?year=tjugo").status_code == 404


def test_quarter_balance_counts_costs_inside_the_quarter_only(db):
    CostLine.objects.create(date=day("2025-12-31"), label="före", amount_ore=1)
    CostLine.objects.create(date=day("2026-01-01"), label="inne", amount_ore=10)
    assert quarter_balance(Q1).cost_ore == 10


def test_budget_lines_entered_in_the_staff_area_are_audited(client, coordinator):
    from bibblix.audit.models import AuditEntry

    client.force_login(coordinator)
    response = client.post(
        "/staff/insights/budgetline/add/",
        {
            "year": 2026,
            "quarter": 2,
            "kind": "cost",
            "account": "5420",
            "label": "Licenser",
            "amount_ore": "15 000,00",  # typed in kronor, kept in öre
        },
    )
    assert response.status_code == 302
    line = BudgetLine.objects.get()
    entry = AuditEntry.objects.get(model="budgetline", object_id=str(line.pk))
    assert (entry.action, entry.username, entry.changes["amount_ore"]) == (
        "add",
        "coordinator",
        [None, 1500000],
    )


def test_demo_follow_up_loads_once(db):
    from bibblix.demo import follow_up
    from bibblix.insights.models import StatusReport

    follow_up.load(out=lambda line: None)
    counts = (BudgetLine.objects.count(), CostLine.objects.count(), StatusReport.objects.count())
    follow_up.load(out=lambda line: None)
    assert (
        BudgetLine.objects.count(),
        CostLine.objects.count(),
        StatusReport.objects.count(),
    ) == counts
    assert counts[0] == 2 * 4 * 5 and counts[2] == 1


def test_budget_and_costs_show_kronor_to_editors_and_viewers(client, coordinator, economist):
    """The coordinator edits budget lines and costs; the economist may only view them."""
    import datetime

    line = BudgetLine.objects.create(
        year=2026, quarter=2, kind="cost", label="Licenser", amount_ore=1_234_550
    )
    cost = CostLine.objects.create(
        date=datetime.date(2026, 5, 2), label="Server", amount_ore=98_765
    )
    for user in (coordinator, economist):
        client.force_login(user)
        form = client.get(f"/staff/insights/budgetline/{line.pk}/change/").content.decode()
        if user is coordinator:
            assert 'name="amount_ore" value="12345,50"' in form
        else:
            assert 'name="amount_ore"' not in form
            assert "12\u00a0345,50\u00a0kr" in form
        assert "1234550" not in form and "I öre" not in form and "(öre" not in form
        assert "belopp (kr, exklusive moms)" in form.lower()
        costs = client.get("/staff/insights/costline/").content.decode()
        assert "987,65\u00a0kr" in costs and "98765" not in costs
        cost_page = client.get(f"/staff/insights/costline/{cost.pk}/change/").content.decode()
        assert "98765" not in cost_page and "(öre" not in cost_page
