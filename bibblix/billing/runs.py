"""Billing runs: compare what the fee rules imply with what is already invoiced, keep the
difference as draft invoices and credit notes (a preview), and approve them with gapless numbers.

Every step is one transaction that leaves a consistent state, so a run killed at any point can
simply be run again: a preview is replaced as a whole, approval numbers all drafts or none.
Runs of one issuer are serialised by locking its Issuer row; numbers come from its NumberSeries
rows, locked in the same transaction (SELECT … FOR UPDATE).
"""

import datetime
from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bibblix.audit.services import record_change
from bibblix.lib.money import format_sek, vat_amount

from . import fees
from .models import BillingRun, Invoice, InvoiceLine, Issuer, NumberSeries, VatCategory
from .ocr import make_ocr
from .parties import party_problems, snapshot

Kind = Invoice.Kind


class ApprovalRefused(Exception):
    """The run cannot be approved; `messages` say why, one line each, in the user's language."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class DraftLine:
    key: str
    fee_type: str
    description: str
    provenance: str
    net_ore: int
    period_start: datetime.date | None
    period_end: datetime.date | None


@dataclass
class Draft:
    buyer_id: int
    kind: str
    category: str
    rate_bp: int
    exemption_reason: str
    is_supplementary: bool = False
    credits_id: int | None = None
    lines: list[DraftLine] = field(default_factory=list)

    def fingerprint(self) -> tuple:
        lines = tuple(sorted((line.key, line.net_ore, line.provenance) for line in self.lines))
        return (self.buyer_id, self.kind, self.category, self.credits_id, lines)


def ensure_series(issuer: Issuer) -> None:
    """Create the issuer's two number series the first time it runs."""
    for kind, suffix in ((NumberSeries.Kind.INVOICE, ""), (NumberSeries.Kind.CREDIT_NOTE, "K")):
        NumberSeries.objects.get_or_create(
            issuer=issuer, kind=kind, defaults={"prefix": issuer.number_prefix + suffix}
        )


def invoiced_amounts(issuer: Issuer, period: fees.Period) -> dict[tuple, dict]:
    """(buyer id, category, key) -> what issued invoices minus credit notes charged, with the
    rate, exemption text and the last invoice, for `issuer` and exactly this period."""
    lines = (
        InvoiceLine.objects.filter(
            invoice__issuer_id=issuer.organisation_id,
            invoice__year=period.year,
            invoice__quarter=period.quarter,
            invoice__status=Invoice.Status.ISSUED,
        )
        .values(
            "invoice__buyer_id",
            "invoice__vat_category",
            "invoice__vat_rate_basis_points",
            "invoice__exemption_reason",
            "invoice__kind",
            "key",
            "fee_type",
            "description",
        )
        .annotate(net=Sum("net_ore"))
    )
    out: dict[tuple, dict] = {}
    for row in lines:
        key = (row["invoice__buyer_id"], row["invoice__vat_category"], row["key"])
        entry = out.setdefault(
            key,
            {
                "net": 0,
                "rate": row["invoice__vat_rate_basis_points"],
                "exemption": row["invoice__exemption_reason"],
                "description": row["description"],
                "fee_type": row["fee_type"],
            },
        )
        sign = -1 if row["invoice__kind"] == Kind.CREDIT_NOTE else 1
        entry["net"] += sign * row["net"]
    return out


def last_invoices(issuer: Issuer, period: fees.Period) -> dict[tuple[int, str], int]:
    """(buyer id, category) -> id of the latest issued invoice (not credit note)."""
    rows = (
        Invoice.objects.filter(
            issuer_id=issuer.organisation_id,
            year=period.year,
            quarter=period.quarter,
            status=Invoice.Status.ISSUED,
            kind=Kind.INVOICE,
        )
        .order_by("sequence")
        .values_list("buyer_id", "vat_category", "pk")
    )
    return {(buyer, category): pk for buyer, category, pk in rows}


def plan(issuer: Issuer, period: fees.Period) -> tuple[list[Draft], list[dict]]:
    """The drafts that would make what is invoiced equal what the rules imply, and the changes
    (one per buyer and fee) that explain them."""
    expected = {
        (c.buyer_id, c.vat_category, c.key): c
        for c in fees.charges(period, issuer_id=issuer.organisation_id)
    }
    invoiced = invoiced_amounts(issuer, period)
    latest = last_invoices(issuer, period)
    drafts: dict[tuple, Draft] = {}
    changes = []
    for key in sorted(set(expected) | set(invoiced), key=lambda k: (k[0], k[1], k[2])):
        buyer_id, category, fee_key = key
        charge, before = expected.get(key), invoiced.get(key)
        now_ore = charge.net_ore if charge else 0
        before_ore = before["net"] if before else 0
        difference = now_ore - before_ore
        if difference == 0:
            continue
        kind = Kind.INVOICE if difference > 0 else Kind.CREDIT_NOTE
        rate = charge.vat_rate_bp if charge else before["rate"]
        exemption = charge.exemption_reason if charge else before["exemption"]
        draft = drafts.setdefault(
            (buyer_id, category, kind),
            Draft(
                buyer_id,
                kind,
                category,
                rate,
                exemption,
                is_supplementary=kind == Kind.INVOICE and (buyer_id, category) in latest,
                credits_id=latest.get((buyer_id, category)) if kind == Kind.CREDIT_NOTE else None,
            ),
        )
        draft.lines.append(_line(fee_key, charge, before, before_ore, now_ore, difference))
        changes.append(
            {
                "buyer_id": buyer_id,
                "key": fee_key,
                "description": draft.lines[-1].description,
                "before_ore": before_ore,
                "now_ore": now_ore,
                "difference_ore": difference,
            }
        )
    return list(drafts.values()), changes


def _line(fee_key, charge, before, before_ore, now_ore, difference) -> DraftLine:
    description = charge.description if charge else before["description"]
    provenance = charge.provenance if charge else _("no longer charged by the register")
    if before:
        amounts = _("invoiced before %(before)s, now %(now)s") % {
            "before": format_sek(before_ore),
            "now": format_sek(now_ore),
        }
        provenance = f"{amounts}: {provenance}"
        label = _("Credit") if difference < 0 else _("Supplement")
        description = f"{label}: {description}"
    return DraftLine(
        key=fee_key,
        fee_type=charge.fee_type if charge else before["fee_type"],
        description=description[:300],
        provenance=provenance,
        net_ore=abs(difference),
        period_start=charge.period_start if charge else None,
        period_end=charge.period_end if charge else None,
    )


def _fingerprint_of(run: BillingRun) -> list:
    drafts = []
    for invoice in run.invoices.prefetch_related("lines"):
        lines = tuple(sorted((li.key, li.net_ore, li.provenance) for li in invoice.lines.all()))
        drafts.append(
            (invoice.buyer_id, invoice.kind, invoice.vat_category, invoice.credits_id, lines)
        )
    return sorted(drafts, key=repr)


def compute_run(issuer: Issuer, year: int, quarter: int = 0, *, user=None) -> BillingRun | None:
    """Compute the preview for `issuer` and the period: a run with draft invoices for what has
    changed since the last approved run, or None when everything is already invoiced. Computing
    again replaces the waiting preview (or keeps it when nothing changed)."""
    period = fees.Period.of(year, quarter)
    with translation.override("sv"), transaction.atomic():
        Issuer.objects.select_for_update().get(pk=issuer.pk)
        ensure_series(issuer)
        drafts, changes = plan(issuer, period)
        pending = BillingRun.objects.filter(
            issuer=issuer, year=year, quarter=quarter, state=BillingRun.State.PREVIEW
        ).first()
        if pending and _fingerprint_of(pending) == sorted(
            (d.fingerprint() for d in drafts), key=repr
        ):
            return pending
        if pending:
            InvoiceLine.objects.filter(invoice__run=pending).delete()
            pending.invoices.all().delete()
            if not drafts:
                pending.delete()
        if not drafts:
            return None
        run = pending or BillingRun(issuer=issuer, year=year, quarter=quarter)
        run.created_by, run.changes = user, changes
        run.save()
        _store_drafts(run, period, drafts)
        return run


def _store_drafts(run: BillingRun, period: fees.Period, drafts: list[Draft]) -> None:
    invoices = [
        Invoice(
            run=run,
            issuer_id=run.issuer.organisation_id,
            buyer_id=draft.buyer_id,
            kind=draft.kind,
            is_supplementary=draft.is_supplementary,
            credits_id=draft.credits_id,
            year=period.year,
            quarter=period.quarter,
            period_start=period.start,
            period_end=period.last_day,
            vat_category=draft.category,
            vat_rate_basis_points=draft.rate_bp if draft.category == VatCategory.STANDARD else 0,
            exemption_reason=draft.exemption_reason,
            **_totals(draft),
        )
        for draft in drafts
    ]
    Invoice.objects.bulk_create(invoices)
    InvoiceLine.objects.bulk_create(
        InvoiceLine(invoice=invoice, position=position, **asdict(line))
        for invoice, draft in zip(invoices, drafts, strict=True)
        for position, line in enumerate(draft.lines, start=1)
    )


def _totals(draft: Draft) -> dict[str, int]:
    net = sum(line.net_ore for line in draft.lines)
    vat = vat_amount(net, draft.rate_bp) if draft.category == VatCategory.STANDARD else 0
    return {"net_ore": net, "vat_ore": vat, "total_ore": net + vat}


def approve_run(
    run: BillingRun, user, comment: str = "", *, today: datetime.date | None = None
) -> BillingRun:
    """Approve `run`: number every draft from the issuer's series, date it and copy the parties
    as invoiced, all in one transaction. Approving an approved run changes nothing.
    Raises ApprovalRefused when a buyer or the issuer lacks what an e-invoice needs."""
    today = today or timezone.localdate()
    with translation.override("sv"), transaction.atomic():
        issuer = (
            Issuer.objects.select_for_update().select_related("organisation").get(pk=run.issuer_id)
        )
        run = BillingRun.objects.select_for_update().get(pk=run.pk)
        if run.state == BillingRun.State.APPROVED:
            return run
        drafts = list(
            run.invoices.select_related("buyer", "credits").order_by("kind", "buyer__name", "pk")
        )
        problems = party_problems(issuer, {invoice.buyer for invoice in drafts})
        if problems:
            raise ApprovalRefused(problems)
        series = {s.kind: s for s in NumberSeries.objects.select_for_update().filter(issuer=issuer)}
        now = timezone.now()
        for invoice in drafts:
            _number(invoice, issuer, series[invoice.kind], today)
            invoice.status, invoice.approved_at = Invoice.Status.ISSUED, now
            invoice.approved_by = user
            invoice.parties = snapshot(issuer, invoice.buyer)
            invoice.buyer_reference = invoice.buyer.invoice_reference
            invoice.save()
        for one in series.values():
            one.save(update_fields=["last_number"])
        run.state, run.approved_at, run.approved_by = BillingRun.State.APPROVED, now, user
        run.approval_comment = comment
        run.save(update_fields=["state", "approved_at", "approved_by", "approval_comment"])
        _audit(user, run, drafts, comment)
        return run


def _number(invoice: Invoice, issuer: Issuer, series: NumberSeries, today) -> None:
    sequence = (series.last_number or series.first_number - 1) + 1
    series.last_number = sequence
    invoice.sequence = sequence
    invoice.number = f"{series.prefix}{sequence}"
    invoice.issue_date = today
    if invoice.kind == Kind.INVOICE:
        invoice.ocr = make_ocr(f"{issuer.pk:02d}{sequence:07d}")
        invoice.due_date = today + datetime.timedelta(days=issuer.payment_terms_days)


def _audit(user, run: BillingRun, drafts: list[Invoice], comment: str) -> None:
    numbers = [invoice.number for invoice in drafts]
    record_change(
        user,
        "approve",
        run,
        changes={"state": ["preview", "approved"], "numbers": [None, numbers]},
        reason=comment,
    )
    for invoice in drafts:
        if invoice.kind == Kind.CREDIT_NOTE:
            record_change(
                user,
                "credit",
                invoice,
                changes={"credits": [None, invoice.credits.number if invoice.credits else None]},
                reason=comment,
                municipality_id=invoice.buyer_id if invoice.buyer.is_municipality else None,
            )
