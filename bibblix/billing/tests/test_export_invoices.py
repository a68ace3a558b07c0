"""export_invoices: issued documents from real billing runs through every writer."""

import csv
import importlib.util
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from bibblix.billing import services
from bibblix.billing.exports import account_mapping
from bibblix.billing.models import AccountMapping, Invoice, Payment
from bibblix.billing.tests import builders as b

from .pdf_text import pdf_text

pytestmark = pytest.mark.django_db
PEPPOL_DIR = Path(settings.SHARED_DIR) / "peppol"


@pytest.fixture
def billed(economist):
    """2025 billed: Sambruk invoices Ale (direct; O and S apart) and VGR (group fee); GITS
    invoices Lerum (through VGR's group). Ale ends on 1 July: two credit notes. Ale paid its
    membership invoice."""
    b.schedule(2025)
    sambruk, gits, vgr = b.arrangement()
    ale = b.municipality("Ale", "1440", 20_000)
    b.municipality("Lerum", "1441", 40_000, group=vgr)
    for issuer in (sambruk, gits):
        services.approve_run(services.compute_run(issuer, 2025), economist, today=b.D(2025, 1, 10))
    b.end(ale, b.D(2025, 7, 1))
    services.approve_run(services.compute_run(sambruk, 2025), economist, today=b.D(2025, 7, 2))
    paid = Invoice.objects.get(buyer=ale, kind="invoice", vat_category="O")
    Payment.objects.create(
        invoice=paid, amount_ore=paid.total_ore, paid_on=b.D(2025, 2, 1), source="manual"
    )
    return sambruk, gits


def _issued():
    return Invoice.objects.filter(status="issued")


def test_pdf_export_writes_one_file_per_document(billed, tmp_path):
    call_command("export_invoices", "2025", str(tmp_path), "--format", "pdf")
    files = sorted(tmp_path.iterdir())
    assert len(files) == _issued().count() == 6
    credit = _issued().filter(kind="credit_note").order_by("number").first()
    text = pdf_text((tmp_path / f"sambruk-{credit.number}.pdf").read_bytes())
    assert "Kreditfaktura" in text and f"Kreditering av faktura {credit.credits.number}" in text


@pytest.mark.shared
def test_peppol_export_of_real_runs_passes_en16931_and_peppol_rules(billed, tmp_path):
    spec = importlib.util.spec_from_file_location("peppol_validate", PEPPOL_DIR / "validate.py")
    validate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(validate)
    call_command("export_invoices", "2025", str(tmp_path), "--format", "peppol")
    files = sorted(tmp_path.iterdir())
    assert len(files) == 6
    for path in files:
        findings = validate.check_xsd(str(path)) + validate.run(str(path), str(PEPPOL_DIR))
        fatal = [f"{f['id']}: {f['text']}" for f in findings if f["flag"] in ("fatal", "error")]
        assert fatal == [], path.name


def test_sie_export_has_one_balanced_file_per_issuer_with_the_staffs_accounts(billed, tmp_path):
    sambruk, _gits = billed
    AccountMapping.objects.create(
        purpose="revenue", fee_type="service", account="3011", name="Serviceavgifter"
    )
    AccountMapping.objects.create(
        issuer=sambruk, purpose="receivable", account="1511", name="Kundfordringar medlemmar"
    )
    call_command("export_invoices", "2025", str(tmp_path), "--format", "sie")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gits-2025.si", "sambruk-2025.si"]
    text = (tmp_path / "sambruk-2025.si").read_bytes().decode("cp437")
    vouchers = text.split("#VER ")[1:]
    # 3 invoices, 2 credit notes and 1 payment of Sambruk's
    assert len(vouchers) == 6
    for voucher in vouchers:
        amounts = [line.split()[3] for line in voucher.splitlines() if "#TRANS" in line]
        assert sum(int(a.replace(".", "")) for a in amounts) == 0
    assert '#KONTO 1511 "Kundfordringar medlemmar"' in text
    assert "#TRANS 3011 {} -" in text  # Ale's service fee on the staff's account
    assert '#FNAMN "Sambruk"' in text and "#TRANS 1930 {} " in text
    gits = (tmp_path / "gits-2025.si").read_bytes().decode("cp437")
    assert "#TRANS 1510 {} " in gits and "1511" not in gits  # the override is Sambruk's own


def test_csv_and_xlsx_export_write_the_ledger(billed, tmp_path):
    call_command("export_invoices", "2025", str(tmp_path), "--format", "csv")
    call_command("export_invoices", "2025", str(tmp_path), "--format", "xlsx")
    rows = list(
        csv.DictReader(
            io.StringIO((tmp_path / "ledger-2025.csv").read_text("utf-8-sig"), newline=""),
            delimiter=";",
        )
    )
    assert len(rows) == 6
    # Ale paid its whole membership invoice before half of it was credited: overpaid
    assert sorted((r["kind"], r["state"]) for r in rows if r["buyer"] == "Ale") == [
        ("credit_note", "credited"),
        ("credit_note", "credited"),
        ("invoice", "open"),
        ("invoice", "overpaid"),
    ]
    sheet = load_workbook(tmp_path / "ledger-2025.xlsx").active
    assert sheet.max_row == 7


def test_exporting_again_writes_the_same_files(billed, tmp_path):
    call_command("export_invoices", "2025", str(tmp_path), "--format", "peppol")
    first = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    call_command("export_invoices", "2025", str(tmp_path), "--format", "peppol")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == first


def test_a_document_that_cannot_be_an_e_invoice_is_named_and_the_command_fails(
    billed, tmp_path, capsys
):
    invoice = _issued().filter(kind="invoice").order_by("number").first()
    Invoice.objects.filter(pk=invoice.pk).update(buyer_reference="")
    invoice.buyer.__class__.objects.filter(pk=invoice.buyer_id).update(invoice_reference="")
    with pytest.raises(CommandError, match="kunde inte skrivas"):
        call_command("export_invoices", "2025", str(tmp_path), "--format", "peppol")
    assert f"{invoice.number}: köparens referens saknas" in capsys.readouterr().err
    assert len(list(tmp_path.iterdir())) == 5  # the others are written


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["20x5", "--format", "pdf"], "Året måste vara ett tal"),
        (["2025", "--format", "docx"], "Välj ett format"),
        (["2025"], "Välj ett format"),
    ],
)
def test_bad_arguments_get_one_clear_line(db, tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_invoices", arguments[0], str(tmp_path), *arguments[1:])


def test_outdir_that_is_a_file_is_refused(db, tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x")
    with pytest.raises(CommandError, match="är en fil, inte en mapp"):
        call_command("export_invoices", "2025", str(target), "--format", "csv")


def test_account_mapping_layers_bas_defaults_staff_defaults_and_the_issuers_own(db):
    sambruk, gits, _vgr = b.arrangement()
    AccountMapping.objects.create(purpose="revenue", account="3900", name="Intäkter")
    AccountMapping.objects.create(purpose="bank", account="1940", name="Bank")
    AccountMapping.objects.create(issuer=gits, purpose="bank", account="1941", name="Bank GITS")
    AccountMapping.objects.create(
        issuer=gits, purpose="revenue", fee_type="reinvoiced", account="3920", name="Vidare"
    )
    accounts, names = account_mapping(gits)
    assert accounts["revenue_S"] == accounts["revenue_O"] == "3900"
    assert accounts["bank"] == "1941" and names["1941"] == "Bank GITS"
    assert accounts["revenue_reinvoiced"] == "3920"
    assert accounts["receivable"] == "1510" and accounts["vat_out_25"] == "2611"
    sambruk_accounts, _names = account_mapping(sambruk)
    assert sambruk_accounts["bank"] == "1940" and "revenue_reinvoiced" not in sambruk_accounts
