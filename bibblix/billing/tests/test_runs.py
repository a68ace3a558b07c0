"""Billing runs: preview, approval with gapless numbers, idempotence, and only the difference
after the register changes (credit notes and supplementary invoices). Amounts hand-computed from
the schedule in builders.py."""

import pytest
from django.utils import translation

from bibblix.audit.models import AuditEntry
from bibblix.billing import services
from bibblix.billing.models import BillingRun, Invoice, NumberSeries
from bibblix.billing.ocr import is_valid_ocr
from bibblix.billing.tests import builders as b

KR = b.KR
pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    b.schedule(2025)
    return b.arrangement()


def _docs(run):
    return list(run.invoices.order_by("kind", "buyer__name", "vat_category"))


def test_preview_then_approval_numbers_gaplessly(setup, economist):
    sambruk, _gits, _vgr = setup
    ale = b.municipality("Ale", "1440", 20_000)
    run = services.compute_run(sambruk, 2025)
    drafts = _docs(run)
    assert [(d.buyer.name, d.vat_category, d.net_ore, d.vat_ore, d.total_ore) for d in drafts] == [
        ("Ale", "O", 25_000 * KR, 0, 25_000 * KR),
        ("Ale", "S", 20_000 * KR, 5_000 * KR, 25_000 * KR),  # BR-O-11: O and S apart
        ("VGR", "O", 50_000 * KR, 0, 50_000 * KR),
    ]
    assert all(d.number == "" and d.status == "draft" for d in drafts)
    services.approve_run(run, economist, "Årsfakturering 2025", today=b.D(2025, 1, 10))
    issued = list(Invoice.objects.filter(run=run).order_by("sequence"))
    assert [i.number for i in issued] == ["SB10001", "SB10002", "SB10003"]
    assert all(is_valid_ocr(i.ocr) for i in issued)
    assert len({i.ocr for i in issued}) == 3
    assert {i.due_date for i in issued} == {b.D(2025, 2, 9)}  # 30 days' terms
    assert issued[0].parties["buyer"]["name"] in {"Ale", "VGR"}
    assert NumberSeries.objects.get(issuer=sambruk, kind="invoice").last_number == 10003
    entry = AuditEntry.objects.get(action="approve", object_id=str(run.pk))
    assert entry.user == economist and entry.reason == "Årsfakturering 2025"
    assert ale.pk in {i.buyer_id for i in issued}


def test_a_repeated_run_creates_nothing_new(setup, economist):
    sambruk, _gits, _vgr = setup
    b.municipality("Ale", "1440", 20_000)
    first = services.compute_run(sambruk, 2025)
    ids = sorted(first.invoices.values_list("pk", flat=True))
    again = services.compute_run(sambruk, 2025)
    assert again.pk == first.pk and sorted(again.invoices.values_list("pk", flat=True)) == ids
    services.approve_run(first, economist)
    services.approve_run(first, economist)  # approving twice changes nothing
    assert services.compute_run(sambruk, 2025) is None
    assert Invoice.objects.count() == 3 and BillingRun.objects.count() == 1
    assert NumberSeries.objects.get(issuer=sambruk, kind="invoice").last_number == 10003


def test_termination_mid_year_gives_credit_notes_referring_to_the_invoices(setup, economist):
    sambruk, _gits, _vgr = setup
    ale = b.municipality("Ale", "1440", 20_000)
    services.approve_run(services.compute_run(sambruk, 2025), economist, today=b.D(2025, 1, 10))
    b.end(ale, b.D(2025, 7, 1))  # 1 January–30 June: 181 of 365 days
    run = services.compute_run(sambruk, 2025)
    credits = _docs(run)
    assert [(c.kind, c.vat_category, c.net_ore, c.vat_ore, c.total_ore) for c in credits] == [
        # 25 000 kr × 181/365 = 12 397,26 kr: credit 25 000 − 12 397,26
        ("credit_note", "O", 1_260_274, 0, 1_260_274),
        # 20 000 kr × 181/365 = 9 917,81 kr: credit 10 082,19 kr + 25 % VAT 2 520,55 kr
        ("credit_note", "S", 1_008_219, 252_055, 1_260_274),
    ]
    originals = {i.vat_category: i for i in Invoice.objects.filter(buyer=ale, kind="invoice")}
    assert [c.credits_id for c in credits] == [originals["O"].pk, originals["S"].pk]
    change = {c["key"]: c for c in run.changes}["service"]
    assert (change["before_ore"], change["now_ore"]) == (20_000 * KR, 991_781)
    services.approve_run(run, economist, "Uppsägning 1 juli", today=b.D(2025, 7, 2))
    assert sorted(Invoice.objects.filter(run=run).values_list("number", flat=True)) == [
        "SBK10001",
        "SBK10002",
    ]
    assert AuditEntry.objects.filter(action="credit").count() == 2
    assert {line.fee_type for c in credits for line in c.lines.all()} == {
        "membership_yearly",
        "service",
    }
    rows = {r.number: r for r in services.ledger(2025, today=b.D(2025, 7, 2))}
    assert rows[originals["S"].number].credited_ore == 1_260_274
    assert services.reconciliation(2025) == []


def test_a_larger_fee_after_a_register_change_gives_a_supplementary_invoice(setup, economist):
    sambruk, _gits, _vgr = setup
    ale = b.municipality("Ale", "1440", 20_000)
    services.approve_run(services.compute_run(sambruk, 2025), economist)
    ale.population = 24_000  # corrected figure: service 24 000 kr instead of 20 000 kr
    ale.save()
    run = services.compute_run(sambruk, 2025)
    (supplement,) = _docs(run)
    assert (supplement.kind, supplement.is_supplementary) == ("invoice", True)
    assert (supplement.net_ore, supplement.vat_ore) == (4_000 * KR, 1_000 * KR)
    assert supplement.lines.get().description.startswith("Tillägg")
    services.approve_run(run, economist)
    assert services.reconciliation(2025) == []


def test_approval_is_refused_without_buyer_reference_address_or_peppol_id(setup, economist):
    sambruk, _gits, _vgr = setup
    ale = b.municipality("Ale", "1440", 20_000)
    ale.invoice_reference = ""
    ale.peppol_id = ""
    ale.save()
    run = services.compute_run(sambruk, 2025)
    with translation.override("sv"), pytest.raises(services.ApprovalRefused) as refused:
        services.approve_run(run, economist)
    assert refused.value.messages == ["Ale saknar: köparens referens, Peppol-id."]
    run.refresh_from_db()
    assert run.state == "preview" and not Invoice.objects.exclude(number="").exists()
    assert NumberSeries.objects.get(issuer=sambruk, kind="invoice").last_number is None


def test_group_invoices_go_from_the_invoicing_body_and_reconcile(setup, economist):
    sambruk, gits, vgr = setup
    tjorn = b.municipality("Tjörn", "1419", 32_500, member_since=b.D(2025, 3, 15),
                           connected_since=b.D(2025, 3, 15), group=vgr)  # fmt: skip
    for issuer in (sambruk, gits):
        services.approve_run(services.compute_run(issuer, 2025), economist)
    (to_tjorn,) = Invoice.objects.filter(buyer=tjorn)
    assert to_tjorn.issuer_id == gits.organisation_id and to_tjorn.number == "GI10001"
    assert (to_tjorn.net_ore, to_tjorn.vat_ore) == (24_080 * KR, 6_020 * KR)
    (to_vgr,) = Invoice.objects.filter(buyer=vgr)
    assert (to_vgr.issuer_id, to_vgr.total_ore) == (sambruk.organisation_id, 68_320 * KR)
    expected = services.expected_fees(2025)
    assert expected[(gits.organisation_id, tjorn.pk)] == 30_100 * KR
    assert services.reconciliation(2025) == []


def test_yearly_reconciliation_over_a_mixed_year(setup, economist):
    """Invoices minus credit notes equal what the register and schedule imply, after a year
    with a start on 15 March, a termination, a re-join and a group municipality."""
    sambruk, gits, vgr = setup
    ale = b.municipality("Ale", "1440", 20_000)
    b.municipality("Borås", "1490", 10_000, member_since=b.D(2025, 3, 15),
                   connected_since=b.D(2025, 3, 15))  # fmt: skip
    tjorn = b.municipality("Tjörn", "1419", 32_500, member_since=b.D(2025, 3, 15),
                           connected_since=b.D(2025, 3, 15), group=vgr)  # fmt: skip
    for issuer in (sambruk, gits):
        services.approve_run(services.compute_run(issuer, 2025), economist)
    b.end(ale, b.D(2025, 9, 1))
    lerum = b.municipality("Lerum", "1441", 5_000, member_since=None, connected_since=None)
    b.Membership.objects.create(
        organisation=lerum, route=b.Membership.Route.DIRECT, start_date=b.D(2025, 10, 1)
    )
    b.connect(lerum, b.D(2025, 10, 1))
    assert services.reconciliation(2025) != []  # the register moved on
    b.end(tjorn, b.D(2025, 3, 15))  # Tjörn never started after all: every fee credited
    for issuer in (sambruk, gits):
        run = services.compute_run(issuer, 2025)
        if run:
            services.approve_run(run, economist)
    assert services.reconciliation(2025) == []
    gone = Invoice.objects.filter(buyer=tjorn, kind="credit_note").get()
    assert {line.fee_type for line in gone.lines.all()} == {"reinvoiced"}
    invoiced = sum(
        (-1 if r.kind == "credit_note" else 1) * r.total_ore for r in services.ledger(2025)
    )
    assert invoiced == sum(services.expected_fees(2025).values())
