import dataclasses
import datetime
import shutil
import subprocess

import pytest

from bibblix.billing.documents.checks import DocumentError
from bibblix.billing.documents.pdf import invoice_pdf
from bibblix.lib.money import format_sek

from .document_samples import (
    BUYER,
    OUTSIDE_VAT,
    SELLER,
    credit_note,
    document,
    line,
    outside_vat_line,
)
from .pdf_text import pdf_text

MARCH_15 = datetime.date(2026, 3, 15)
PRO_RATA = document(
    line(
        3_972_603,
        "Serviceavgift 2026, pro rata 292/365 dagar",
        period_start=MARCH_15,
        period_end=datetime.date(2026, 12, 31),
        note="41 000 invånare (SCB 2025-12-31), taxa 2026 rad 4",
    ),
    line(1_000_000, "Anslutningsavgift (engång)", period_start=MARCH_15, period_end=MARCH_15),
)


@pytest.fixture(scope="module")
def invoice_text():
    return pdf_text(invoice_pdf(PRO_RATA))


def test_pdf_is_a_pdf():
    assert invoice_pdf(PRO_RATA).startswith(b"%PDF-")


def test_invoice_has_the_content_the_vat_act_requires(invoice_text):
    """ML 2023:200 ch. 17 § 24: date, number, seller's VAT number, names and addresses, what and
    for which period, taxable amount per rate, the rate and the VAT."""
    for expected in [
        "Faktura",
        "Fakturanummer",
        "2026-0001",
        "Fakturadatum",
        "2026-01-15",
        "Momsreg.nr SE802014111801",
        "Sambruk ideell förening",
        "Storgatan 1",
        "111 22 Stockholm",
        "Ale kommun",
        "Kommunhusvägen 1",
        "449 80 Alafors",
        "Serviceavgift 2026, pro rata 292/365 dagar",
        "2026-03-15 – 2026-12-31",
        "41 000 invånare (SCB 2025-12-31), taxa 2026 rad 4",
        "Beskattningsunderlag",
        format_sek(4_972_603),  # taxable amount at 25 %
        "25\u00a0%",
        format_sek(1_243_151),  # VAT: 25 % of 49 726,03 kr, rounded to the öre
        format_sek(6_215_754),
    ]:
        assert expected in invoice_text


def test_invoice_has_what_the_buyer_needs_to_pay(invoice_text):
    for expected in [
        "Godkänd för F-skatt",
        "Bankgiro",
        "5050-1055",
        "OCR-nummer",
        "2026000163",
        "Förfallodatum",
        "2026-02-14",
        "Er referens",
        "KS-4711",
        "Att betala",
    ]:
        assert expected in invoice_text
    assert "EXEMPEL" not in invoice_text


def test_outside_vat_invoice_states_why_there_is_no_vat():
    text = pdf_text(invoice_pdf(document(outside_vat_line(3_500_000))))
    assert OUTSIDE_VAT in text
    assert "Ingen moms" in text
    assert format_sek(0) in text


def test_credit_note_says_so_and_refers_to_the_invoice():
    text = pdf_text(invoice_pdf(credit_note()))
    assert "Kreditfaktura" in text
    assert "Kreditering av faktura 2026-0001 daterad 2026-01-15." in text
    assert "Krediterat belopp" in text
    assert format_sek(3_150_685) in text
    assert "Att betala" not in text and "OCR-nummer" not in text


def test_placeholder_party_is_marked_as_an_example():
    seller = dataclasses.replace(SELLER, is_placeholder=True)
    text = pdf_text(invoice_pdf(document(line(100), seller=seller)))
    assert "EXEMPEL – ej giltig faktura" in text


def test_draft_without_a_number_is_marked():
    text = pdf_text(invoice_pdf(document(line(100), number="")))
    assert "UTKAST – ej utfärdad" in text


def test_text_from_the_register_is_text_never_markup():
    buyer = dataclasses.replace(BUYER, name='Ale <img src="file:///etc/passwd"> kommun')
    text = pdf_text(invoice_pdf(document(line(100), buyer=buyer)))
    assert 'Ale <img src="file:///etc/passwd"> kommun' in text


def test_refuses_a_document_whose_sums_do_not_add_up():
    with pytest.raises(DocumentError, match="netto plus moms"):
        invoice_pdf(dataclasses.replace(PRO_RATA, total_ore=1))


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) not installed")
def test_poppler_reads_the_same_legal_content(tmp_path, invoice_text):
    """The PDF reader these tests use agrees with poppler's on what a buyer sees."""
    path = tmp_path / "invoice.pdf"
    path.write_bytes(invoice_pdf(PRO_RATA))
    poppler = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in ["Godkänd för F-skatt", "SE802014111801", "2026000163", "KS-4711"]:
        assert expected in poppler and expected in invoice_text
    assert format_sek(6_215_754).replace("\u00a0", " ") in poppler.replace("\u00a0", " ")
