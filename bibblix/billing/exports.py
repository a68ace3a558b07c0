"""The year's issued invoices and credit notes as files: Peppol XML and PDF (one file per
document), SIE 4i (one file per issuer, since each keeps its own books), and the ledger as CSV
or XLSX (one file). Exporting again writes the same files again."""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import F
from django.utils.text import slugify

from . import services
from .documents.checks import DocumentError
from .documents.ledger import ledger_csv, ledger_xlsx
from .documents.pdf import invoice_pdf
from .documents.sie import (
    ACCOUNT_NAMES,
    DEFAULT_ACCOUNTS,
    invoice_voucher,
    payment_voucher,
    sie_file,
)
from .documents.ubl import invoice_xml
from .models import AccountMapping, Issuer, Payment
from .parties import party

FORMATS = ("peppol", "pdf", "sie", "csv", "xlsx")


@dataclass
class ExportResult:
    files: list[Path] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # one line per document not written


def export_invoices(
    year: int, fmt: str, outdir: Path, *, today: datetime.date | None = None
) -> ExportResult:
    """Write the issued invoices and credit notes of `year` to `outdir` in format `fmt`."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    rows = services.ledger(year, today=today)
    outdir.mkdir(parents=True, exist_ok=True)
    result = ExportResult()
    if fmt in ("csv", "xlsx"):
        writer = ledger_csv if fmt == "csv" else ledger_xlsx
        result.files.append(_write(outdir / f"ledger-{year}.{fmt}", writer(rows)))
    elif fmt in ("peppol", "pdf"):
        writer, suffix = (invoice_xml, "xml") if fmt == "peppol" else (invoice_pdf, "pdf")
        for row in rows:
            try:
                data = writer(services.invoice_document(row.invoice_id))
            except DocumentError as error:
                result.refused.append(str(error))
                continue
            name = f"{slugify(row.issuer)}-{_safe(row.number)}.{suffix}"
            result.files.append(_write(outdir / name, data))
    else:
        by_issuer = defaultdict(list)
        for row in rows:
            by_issuer[row.issuer_id].append(row)
        for issuer_id, issuer_rows in by_issuer.items():
            issuer = Issuer.objects.select_related("organisation").get(organisation_id=issuer_id)
            try:
                data = _sie(issuer, issuer_rows)
            except DocumentError as error:
                result.refused.append(f"{issuer.organisation.name}: {error}")
                continue
            name = f"{slugify(issuer.organisation.name)}-{year}.si"
            result.files.append(_write(outdir / name, data))
    return result


def account_mapping(issuer: Issuer) -> tuple[dict[str, str], dict[str, str]]:
    """(accounts by role, account names) for the SIE writer: the BAS defaults, then the staff's
    default rows, then the rows for this issuer."""
    accounts, names = dict(DEFAULT_ACCOUNTS), dict(ACCOUNT_NAMES)
    purpose = AccountMapping.Purpose
    rows = AccountMapping.objects.filter(issuer__isnull=True) | AccountMapping.objects.filter(
        issuer=issuer
    )
    for row in rows.order_by(F("issuer").asc(nulls_first=True), "pk"):
        if row.purpose == purpose.REVENUE:
            roles = [f"revenue_{row.fee_type}"] if row.fee_type else ["revenue_S", "revenue_O"]
        else:
            roles = [
                {
                    purpose.RECEIVABLE: "receivable",
                    purpose.BANK: "bank",
                    purpose.VAT_OUTPUT: "vat_out_25",
                    purpose.OVERPAYMENT: "overpayment",
                }[row.purpose]
            ]
        for role in roles:
            accounts[role] = row.account
        names[row.account] = row.name
    return accounts, names


def _sie(issuer: Issuer, rows) -> bytes:
    """One voucher per invoice and credit note and one per payment matched to them, by date."""
    accounts, names = account_mapping(issuer)
    vouchers = [
        invoice_voucher(services.invoice_document(row.invoice_id), accounts) for row in rows
    ]
    payments = (
        Payment.objects.filter(invoice_id__in=[row.invoice_id for row in rows])
        .select_related("invoice__buyer")
        .order_by("paid_on", "pk")
    )
    for payment in payments:
        text = f"Inbetalning {payment.invoice.number} {payment.invoice.buyer.name}"
        vouchers.append(payment_voucher(payment.amount_ore, payment.paid_on, text, accounts))
    vouchers.sort(key=lambda voucher: voucher.date)  # stable: invoices before same-day payments
    company = party(issuer.organisation, issuer)
    return sie_file(vouchers, company, account_names=names)


def _safe(number: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", number)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
