"""The staff home says what needs attention, per role, and keeps the list of tables."""

import datetime

import time_machine

from bibblix.insights.quarters import YearQuarter
from bibblix.insights.report import start_draft
from bibblix.insights.staff_home import panels_for

from .report_builders import register


def _panels(user):
    return {panel.key: panel for panel in panels_for(user)}


@time_machine.travel("2026-10-05 10:00 +0200", tick=False)
def test_the_association_sees_what_is_ahead_flags_and_the_reports_state(db, coordinator):
    register()
    panels = _panels(coordinator)
    assert list(panels) == ["ahead", "runs", "overdue", "review", "report"]
    ahead = [text for text, _url in panels["ahead"].lines]
    assert ahead == ["2026-11-01 Kungälv: ansluten", "2027-01-01 Lerum: avslutad"]
    assert panels["report"].lines[0][0] == "2026Q4: inte påbörjad"
    start_draft(YearQuarter(2026, 4), coordinator)
    assert "version 1" in _panels(coordinator)["report"].lines[0][0]
    assert any("Borås" in text for text, _url in panels["review"].lines)


def test_economy_sees_runs_payments_and_unmatched(db, economist):
    assert list(_panels(economist)) == ["runs", "payments", "unmatched", "overdue"]


def test_a_municipality_sees_only_its_own_panels(db, municipality_admin_ale, boras):
    panels = _panels(municipality_admin_ale)
    assert list(panels) == ["figures", "invoices", "contacts"]
    everything = " ".join(text for panel in panels.values() for text, _url in panel.lines)
    assert "Borås" not in everything


def test_the_staff_home_page_shows_panels_and_the_tables(client, coordinator):
    register()
    client.force_login(coordinator)
    page = client.get("/staff/").content.decode()
    assert 'data-panel="review"' in page and 'data-panel="report"' in page
    assert "/staff/members/organisation/" in page  # the app list is still there


@time_machine.travel("2026-02-10 10:00 +0100", tick=False)
def test_a_run_waiting_for_approval_and_an_overdue_invoice_are_on_the_home(
    db, coordinator, economist
):
    from bibblix.billing import services as billing

    from .report_builders import billing as billing_setup
    from .report_builders import day, invoice_year

    reg = register()
    issuers = billing_setup(reg)
    invoice_year(issuers.gits, economist, 2026, day("2026-01-02"))  # due 2026-02-01: overdue
    run = billing.compute_run(issuers.sambruk, 2026)
    panels = _panels(economist)
    [(text, url)] = panels["runs"].lines
    assert url == f"/staff/billing/billingrun/{run.pk}/change/" and "5" in text
    [(overdue, _url)] = panels["overdue"].lines
    assert overdue.startswith("GI10001 Borås")
    assert _panels(coordinator)["runs"].lines == panels["runs"].lines


def test_economy_sees_unmatched_payments_and_payments_of_the_last_30_days(db, economist):
    from bibblix.billing.models import Payment

    Payment.objects.create(
        amount_ore=12_345_00,
        paid_on=datetime.date(2026, 11, 20),
        source="manual",
        payer_name="Okänd",
    )
    with time_machine.travel("2026-12-01 10:00 +0100", tick=False):
        panels = _panels(economist)
    assert [text for text, _url in panels["unmatched"].lines] == [
        "2026-11-20 Okänd: 12\u00a0345,00\u00a0kr"
    ]
    assert [text for text, _url in panels["payments"].lines] == [
        "2026-11-20 Okänd: 12\u00a0345,00\u00a0kr"
    ]
