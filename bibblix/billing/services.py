"""Public functions of billing. Other apps (insights, read-only) and billing's own commands,
views and writers use these.

Runs: `compute_run` (preview), `approve_run`; the ledger and documents are read from here.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils import timezone

from . import fees
from .documents.data import DocumentLine, InvoiceDocument, Party, VatBreakdown
from .models import BillingRun, FeeSchedule, Invoice, Issuer, Payment
from .parties import party
from .runs import ApprovalRefused, approve_run, compute_run

__all__ = [
    "ApprovalRefused",
    "LedgerRow",
    "annual_fee_ore",
    "approve_run",
    "compute_run",
    "expected_fees",
    "invoice_document",
    "invoices_for_member",
    "ledger",
    "pending_runs",
    "reconciliation",
]

Kind = Invoice.Kind


def annual_fee_ore(year: int, population: int, through_group: bool) -> int | None:
    """The annual fee in öre for `year`, or None when no fee schedule exists for it."""
    schedule = FeeSchedule.objects.filter(year=year).first()
    return schedule.annual_fee_ore(population, through_group) if schedule else None


@dataclass(frozen=True)
class LedgerRow:
    invoice_id: int
    number: str
    kind: str  # "invoice" | "credit_note"
    issuer_id: int
    issuer: str
    buyer_id: int
    buyer: str
    ocr: str
    issue_date: datetime.date
    due_date: datetime.date | None
    period_start: datetime.date | None
    period_end: datetime.date | None
    net_ore: int
    vat_ore: int
    total_ore: int  # positive; a credit note's kind says it reduces
    credited_ore: int  # sum of credit notes against this invoice (0 for a credit note)
    paid_ore: int  # sum of matched payments
    state: str  # open | partly_paid | paid | overpaid | credited
    is_overdue: bool


def invoice_state(total: int, credited: int, paid: int) -> str:
    """open, partly_paid, paid, overpaid or credited, from what is left to pay."""
    due = total - credited
    if due <= 0 and paid == 0:
        return "credited"
    if paid == 0:
        return "open"
    if paid < due:
        return "partly_paid"
    return "paid" if paid == due else "overpaid"


def ledger(
    year: int | None = None,
    *,
    issuer_id: int | None = None,
    buyer_id: int | None = None,
    today: datetime.date | None = None,
) -> list[LedgerRow]:
    """Issued invoices and credit notes with what is credited and paid, one row each."""
    today = today or timezone.localdate()
    invoices = Invoice.objects.filter(status=Invoice.Status.ISSUED)
    if year is not None:
        invoices = invoices.filter(year=year)
    if issuer_id is not None:
        invoices = invoices.filter(issuer_id=issuer_id)
    if buyer_id is not None:
        invoices = invoices.filter(buyer_id=buyer_id)
    invoices = invoices.select_related("issuer", "buyer").order_by("issue_date", "number")
    credited = dict(
        Invoice.objects.filter(
            status=Invoice.Status.ISSUED, kind=Kind.CREDIT_NOTE, credits__in=invoices
        )
        .values_list("credits_id")
        .annotate(total=Sum("total_ore"))
    )
    paid = dict(
        Payment.objects.filter(invoice__in=invoices)
        .values_list("invoice_id")
        .annotate(total=Sum("amount_ore"))
    )
    rows = []
    for invoice in invoices:
        is_credit = invoice.kind == Kind.CREDIT_NOTE
        credited_ore = 0 if is_credit else credited.get(invoice.pk, 0)
        paid_ore = paid.get(invoice.pk, 0)
        state = (
            "credited" if is_credit else invoice_state(invoice.total_ore, credited_ore, paid_ore)
        )
        rows.append(
            LedgerRow(
                invoice_id=invoice.pk,
                number=invoice.number,
                kind=invoice.kind,
                issuer_id=invoice.issuer_id,
                issuer=invoice.issuer.name,
                buyer_id=invoice.buyer_id,
                buyer=invoice.buyer.name,
                ocr=invoice.ocr,
                issue_date=invoice.issue_date,
                due_date=invoice.due_date,
                period_start=invoice.period_start,
                period_end=invoice.period_end,
                net_ore=invoice.net_ore,
                vat_ore=invoice.vat_ore,
                total_ore=invoice.total_ore,
                credited_ore=credited_ore,
                paid_ore=paid_ore,
                state=state,
                is_overdue=state in {"open", "partly_paid"}
                and invoice.due_date is not None
                and invoice.due_date < today,
            )
        )
    return rows


def invoices_for_member(organisation_id: int) -> list[LedgerRow]:
    """The ledger rows of the invoices and credit notes sent to one organisation."""
    return ledger(buyer_id=organisation_id)


def expected_fees(year: int) -> dict[tuple[int, int], int]:
    """(issuer organisation id, buyer id) -> total öre including VAT that the register and the
    schedule imply for the whole year."""
    return fees.expected_totals(year)


def reconciliation(year: int) -> list[dict]:
    """Avstämning (yearly reconciliation): per issuer and buyer, what the register and schedule
    imply against invoices minus credit notes of the year's runs; only pairs that differ."""
    invoiced: dict[tuple[int, int], int] = {}
    for row in ledger(year):
        sign = -1 if row.kind == Kind.CREDIT_NOTE else 1
        key = (row.issuer_id, row.buyer_id)
        invoiced[key] = invoiced.get(key, 0) + sign * row.total_ore
    expected = expected_fees(year)
    out = []
    for key in sorted(set(expected) | set(invoiced)):
        implied, billed = expected.get(key, 0), invoiced.get(key, 0)
        if implied != billed:
            out.append(
                {
                    "issuer_id": key[0],
                    "buyer_id": key[1],
                    "expected_ore": implied,
                    "invoiced_ore": billed,
                    "difference_ore": implied - billed,
                }
            )
    return out


def pending_runs() -> list[BillingRun]:
    """Runs waiting for approval, each with `invoice_count` and `total_ore` (credit notes
    counted as negative)."""
    runs = (
        BillingRun.objects.filter(state=BillingRun.State.PREVIEW)
        .select_related("issuer__organisation")
        .annotate(
            invoice_count=Count("invoices"),
            invoiced=Sum("invoices__total_ore", filter=Q(invoices__kind=Kind.INVOICE)),
            credited=Sum("invoices__total_ore", filter=Q(invoices__kind=Kind.CREDIT_NOTE)),
        )
        .order_by("year", "quarter", "issuer__organisation__name")
    )
    for run in runs:
        run.total_ore = (run.invoiced or 0) - (run.credited or 0)
    return list(runs)


def issuers() -> list[Issuer]:
    """Every organisation with issuer details, by name."""
    return list(Issuer.objects.select_related("organisation"))


def invoice_document(invoice_or_id) -> InvoiceDocument:
    """The plain document every writer (UBL, PDF, SIE, ledger) reads, from the stored rows; an
    issued invoice shows its parties as they were at approval."""
    invoice = (
        invoice_or_id
        if isinstance(invoice_or_id, Invoice)
        else Invoice.objects.get(pk=invoice_or_id)
    )
    if invoice.parties:
        seller = Party(**invoice.parties["seller"])
        buyer = Party(**invoice.parties["buyer"])
        bankgiro, has_f_skatt = invoice.parties["bankgiro"], invoice.parties["has_f_skatt"]
    else:
        issuer = Issuer.objects.select_related("organisation").get(organisation=invoice.issuer)
        seller, buyer = party(issuer.organisation, issuer), party(invoice.buyer)
        bankgiro, has_f_skatt = issuer.bankgiro, issuer.has_f_skatt
    rate = invoice.vat_rate_basis_points
    lines = tuple(
        DocumentLine(
            line_id=str(line.position),
            description=line.description,
            net_ore=line.net_ore,
            vat_category=invoice.vat_category,
            vat_rate_bp=rate,
            period_start=line.period_start,
            period_end=line.period_end,
            note=line.provenance,
            fee_type=line.fee_type,
        )
        for line in invoice.lines.all()
    )
    credited = invoice.credits
    return InvoiceDocument(
        kind=invoice.kind,
        number=invoice.number,
        issue_date=invoice.issue_date or timezone.localdate(),
        due_date=invoice.due_date,
        seller=seller,
        seller_bankgiro=bankgiro,
        seller_has_f_skatt=has_f_skatt,
        buyer=buyer,
        buyer_reference=invoice.buyer_reference or invoice.buyer.invoice_reference,
        ocr=invoice.ocr,
        lines=lines,
        vat=(
            VatBreakdown(
                category=invoice.vat_category,
                rate_bp=rate,
                taxable_ore=invoice.net_ore,
                vat_ore=invoice.vat_ore,
                exemption_reason=invoice.exemption_reason,
            ),
        ),
        net_ore=invoice.net_ore,
        vat_ore=invoice.vat_ore,
        total_ore=invoice.total_ore,
        period_start=invoice.period_start,
        period_end=invoice.period_end,
        referenced_invoice=credited.number if credited else None,
        referenced_invoice_date=credited.issue_date if credited else None,
        notes=_notes(invoice, seller),
    )


def _notes(invoice: Invoice, seller: Party) -> tuple[str, ...]:
    from django.utils.translation import gettext as _

    notes = []
    if seller.is_placeholder:
        notes.append(_("Demo invoice: the issuer's numbers are placeholders."))
    if invoice.is_supplementary:
        notes.append(_("Supplementary invoice for the same period."))
    return tuple(notes)


def payments_between(
    start: datetime.date, end: datetime.date, *, issuer_id: int | None = None
) -> list[Payment]:
    """Payments received from `start` to `end` inclusive (by payment day), newest first; with
    `issuer_id`, only those matched to that issuer's invoices (for insights' budget outcome)."""
    payments = Payment.objects.filter(paid_on__gte=start, paid_on__lte=end)
    if issuer_id is not None:
        payments = payments.filter(invoice__issuer_id=issuer_id)
    return list(payments.select_related("invoice").order_by("-paid_on", "pk"))


def unmatched_payments() -> list[Payment]:
    """Payments no invoice claims yet, oldest first (billing.payments' list, offered here for
    insights' staff home, which reads billing only through its services)."""
    from .payments import unmatched_payments as unmatched  # payments imports this module

    return list(unmatched())
