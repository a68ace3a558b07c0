"""The follow-up's figures against the ledger: invoices made through billing's own runs and
payments recorded against them; the reconciliation, the budget outcome, the report's economy
and events, and the review's invoice flags must all agree with billing.services."""

import pytest
import time_machine

from bibblix.billing import services as billing
from bibblix.insights.budget import quarter_balance
from bibblix.insights.quarters import YearQuarter
from bibblix.insights.reconciliation import reconcile
from bibblix.insights.report import build_content
from bibblix.insights.review import review
from bibblix.members.models import Membership

from .report_builders import KR, day, invoice_year, pay, register
from .report_builders import billing as billing_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(economist):
    """2026 invoiced on 2026-02-01 by Sambruk (Ale, Kungälv, Lerum, Tjörn, VGR) and GITS
    (Borås); Ale and Borås paid in full, Lerum half; then Tjörn's membership ends 2026-07-01,
    after it was invoiced for the whole year."""
    reg = register()
    issuers = billing_setup(reg)
    invoice_year(issuers.sambruk, economist, 2026, day("2026-02-01"))
    invoice_year(issuers.gits, economist, 2026, day("2026-02-01"))
    for row in billing.ledger(2026):
        if row.buyer in {"Ale", "Borås"}:
            pay(row.number, row.total_ore, "2026-02-20")
        if row.buyer == "Lerum":
            pay(row.number, row.total_ore // 2, "2026-04-02")
    Membership.objects.filter(organisation=reg.tjorn).update(end_date=day("2026-07-01"))
    reg.issuers = issuers
    return reg


def _rows(result):
    return {(row.issuer, row.buyer): row for row in result.rows}


@time_machine.travel("2026-12-10 10:00 +0100", tick=False)
def test_reconciliation_adds_up_the_ledger_per_issuer_and_buyer(year):
    rows = _rows(reconcile(2026))
    ledger = billing.ledger(2026)
    for row in ledger:
        found = rows[(row.issuer, row.buyer)]
        assert (found.invoiced_ore, found.paid_ore) == (row.total_ore, row.paid_ore)
    assert rows[("Sambruk", "Ale")].owed_ore == 0
    assert rows[("Sambruk", "Lerum")].owed_ore == 6_250 * KR
    assert rows[("Sambruk", "Lerum")].flags == ["overdue"]
    assert rows[("GITS", "Borås")].flags == [] and rows[("GITS", "Borås")].connected_days == 365
    assert rows[("Sambruk", "Kungälv")].connected_days == 61  # from go-live on 1 November


@time_machine.travel("2026-12-10 10:00 +0100", tick=False)
def test_differences_flagged_are_those_billing_reconciles(year):
    result = reconcile(2026)
    flagged = {
        (r.issuer_id, r.buyer_id, r.difference_ore) for r in result.rows if "difference" in r.flags
    }
    from_billing = {
        (d["issuer_id"], d["buyer_id"], -d["difference_ore"]) for d in billing.reconciliation(2026)
    }
    assert flagged == from_billing
    tjorn = _rows(result)[("Sambruk", "Tjörn")]
    assert tjorn.difference_ore > 0  # invoiced the whole year, member for half of it
    assert tjorn.expected_ore == billing.expected_fees(2026)[(year.sambruk.pk, year.tjorn.pk)]


@time_machine.travel("2026-12-10 10:00 +0100", tick=False)
def test_budget_outcome_is_the_associations_invoices_and_payments_by_date(year, economist):
    q1 = quarter_balance(YearQuarter(2026, 1))
    sambruk = [r for r in billing.ledger(2026) if r.issuer == "Sambruk"]
    assert q1.invoiced_ore == sum(r.net_ore for r in sambruk) == 90_000 * KR  # not GITS' invoice
    assert (q1.credited_ore, q1.paid_ore) == (0, 12_500 * KR)  # Ale; Borås paid GITS
    assert quarter_balance(YearQuarter(2026, 2)).paid_ore == 6_250 * KR  # Lerum's half
    # The register change is credited in Q3: the credit note reduces Q3's outcome.
    invoice_year(year.issuers.sambruk, economist, 2026, day("2026-08-03"))
    q3 = quarter_balance(YearQuarter(2026, 3))
    credit = [r for r in billing.ledger(2026) if r.kind == "credit_note"]
    assert len(credit) == 1 and q3.credited_ore == credit[0].net_ore > 0
    assert q3.revenue_ore == -credit[0].net_ore


@time_machine.travel("2026-12-10 10:00 +0100", tick=False)
def test_report_economy_and_events_agree_with_the_ledger(year):
    content = build_content(YearQuarter(2026, 1))
    runs = [e for e in content["events"] if e["kind"] == "billing"]
    assert [(e["date"], e["organisation"], e["count"], e["total_ore"]) for e in runs] == [
        ("2026-02-01", "GITS", 1, 10_000 * KR),
        ("2026-02-01", "Sambruk", 5, 112_500 * KR),
    ]
    economy = content["economy"]
    assert economy["has_billing"]
    ledger = billing.ledger(2026)
    assert economy["reconciliation"]["invoiced_ore"] == sum(r.total_ore for r in ledger)
    assert economy["reconciliation"]["paid_ore"] == sum(r.paid_ore for r in ledger)
    assert economy["reconciliation"]["flagged"] >= 1
    assert economy["quarters"][0]["revenue_ore"] == 90_000 * KR


@time_machine.travel("2026-12-10 10:00 +0100", tick=False)
def test_review_flags_overdue_invoices_with_a_link_to_the_invoice(year):
    rows, _logins, has_billing = review()
    flags = {row.municipality.name: row.flags for row in rows}
    lerum = [flag for flag in flags["Lerum"] if flag.code == "overdue"]
    number = next(r for r in billing.ledger(2026) if r.buyer == "Lerum")
    assert has_billing and len(lerum) == 1
    assert lerum[0].url == f"/staff/billing/invoice/{number.invoice_id}/change/"
    assert not [flag for flag in flags["Ale"] if flag.code in {"overdue", "unpaid"}]


@time_machine.travel("2026-12-10 10:00 +0100", tick=False)
def test_a_run_waiting_for_approval_is_named_beside_the_differences_it_explains(
    year, client, coordinator
):
    Membership.objects.filter(organisation=year.ale).update(end_date=day("2026-10-01"))
    run = billing.compute_run(year.issuers.sambruk, 2026)
    assert [r.pk for r in reconcile(2026).pending_runs] == [run.pk]
    assert reconcile(2025).pending_runs == []
    client.force_login(coordinator)
    page = client.get("/staff/insights/reconciliation/?year=2026").content.decode()
    assert "väntar på godkännande" in page
