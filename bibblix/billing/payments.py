"""Incoming payments: importing BgMax files, matching payments to invoices (by OCR, else by an
invoice number the payer wrote), manual matching, and what an invoice has left to pay.

An import is one transaction and refuses a corrupt file whole. The same file twice changes
nothing (its SHA-256), and neither does a payment that an earlier file already carried (its
identity at Bankgirot), so a re-sent or overlapping file is safe.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from bibblix.audit.services import record_change
from bibblix.lib.money import format_sek

from . import bgmax
from .models import Invoice, Issuer, Payment
from .ocr import is_valid_ocr
from .payment_models import BgMaxEntry, BgMaxFile
from .services import invoice_state

# Words in a payer's free text that may be an invoice number or an OCR reference.
TOKEN = re.compile(r"[0-9A-Za-z][0-9A-Za-z/-]*")


class State:
    """An invoice's payment state, as the ledger shows it (services.invoice_state)."""

    OPEN = "open"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    OVERPAID = "overpaid"
    CREDITED = "credited"


@dataclass(frozen=True)
class Balance:
    total_ore: int
    credited_ore: int
    paid_ore: int

    @property
    def outstanding_ore(self) -> int:
        return self.total_ore - self.credited_ore - self.paid_ore

    @property
    def state(self) -> str:
        return invoice_state(self.total_ore, self.credited_ore, self.paid_ore)


def with_balances(invoices):
    """Annotate a queryset of invoices with `credited_ore` and `paid_ore` (subqueries, so the
    two sums never multiply each other's rows)."""
    credited = (
        Invoice.objects.filter(credits=OuterRef("pk"), status=Invoice.Status.ISSUED)
        .values("credits")
        .annotate(sum=Sum("total_ore"))
        .values("sum")
    )
    paid = (
        Payment.objects.filter(invoice=OuterRef("pk"))
        .values("invoice")
        .annotate(sum=Sum("amount_ore"))
        .values("sum")
    )
    return invoices.annotate(
        credited_ore=Coalesce(Subquery(credited), Value(0)),
        paid_ore=Coalesce(Subquery(paid), Value(0)),
    )


def balance_of(invoice: Invoice) -> Balance:
    """What `invoice` was billed, credited and paid, read now."""
    row = with_balances(Invoice.objects.filter(pk=invoice.pk)).get()
    return Balance(row.total_ore, row.credited_ore, row.paid_ore)


@dataclass
class ImportedPayment:
    payment: Payment
    state: str  # the invoice's state after the import, or "unmatched"


@dataclass
class ImportResult:
    sha256: str
    already_imported: bool = False  # the whole file was read before: nothing changed
    file: BgMaxFile | None = None
    payments: list[ImportedPayment] = field(default_factory=list)
    skipped: int = 0  # payments an earlier file already booked

    def count(self, state: str) -> int:
        return sum(1 for imported in self.payments if imported.state == state)

    @property
    def unmatched(self) -> list[Payment]:
        return [imported.payment for imported in self.payments if imported.state == "unmatched"]


def describe_error(error: bgmax.BgMaxError) -> str:
    """One line in the user's language saying why a file was refused and where."""
    details = error.details
    messages = {
        "empty": _("The file is empty."),
        "too_long": _("the record has %(length)s characters; BgMax records have 80."),
        "unknown_code": _("unknown transaction code “%(code)s”."),
        "bad_field": _("the field %(field)s (positions %(positions)s) is not valid."),
        "no_start": _("the file does not begin with a start record (01)."),
        "not_bgmax": _("the layout is “%(layout)s”, not BGMAX."),
        "out_of_order": _("a record with code %(code)s cannot stand here."),
        "no_end": _("the file ends without an end record (70)."),
        "after_end": _("there are records after the end record (70)."),
        "deposit_count": _(
            "the deposit record says %(expected)s payments, the deposit has %(found)s."
        ),
        "deposit_amount": _(
            "the deposit record says %(expected)s öre, the payments add up to %(found)s öre."
        ),
        "end_count": _("the end record says %(expected)s %(count)s, the file has %(found)s."),
        "test_file": _("this is a test file from Bankgirot (test flag T); it books nothing."),
        "unknown_bankgiro": _(
            "the payments are to bankgiro %(bankgiro)s, which no issuer in Bibblix has."
        ),
    }
    if error.reason == "end_count":
        details = {**details, "count": _count_name(str(details["count"]))}
    if error.reason == "bad_field":
        details = {**details, "field": _field_name(str(details["field"]))}
    text = messages.get(error.reason, error.reason) % details
    if error.line is None:
        return text
    return _("The file was not imported: line %(line)s: %(problem)s") % {
        "line": error.line,
        "problem": text,
    }


def _count_name(count: str) -> str:
    return {
        "payments": _("payments"),
        "deductions": _("deductions"),
        "extra_references": _("extra references"),
        "deposits": _("deposits"),
    }.get(count, count)


def _field_name(name: str) -> str:
    return {
        "version": _("version"),
        "written_at": _("written at"),
        "test_flag": _("test flag"),
        "payer_bankgiro": _("payer's bankgiro"),
        "amount": _("amount"),
        "reference_code": _("reference code"),
        "channel": _("payment channel"),
        "bgc_serial": _("BGC serial number"),
        "image_flag": _("image flag"),
        "deduction_code": _("deduction code"),
        "payee_bankgiro": _("payee's bankgiro"),
        "payee_plusgiro": _("payee's plusgiro"),
        "payer_org_number": _("payer's organisation number"),
        "payment_date": _("payment date"),
        "deposit_serial": _("deposit serial number"),
        "payment_count": _("number of payments"),
    }.get(name, name.removesuffix("_count").replace("_", " "))


def _digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


def _issuers_by_bankgiro(parsed: bgmax.BgMaxFile) -> dict[str, Issuer]:
    """The issuer each deposit pays to, locked so imports for one issuer run one at a time
    (then "already booked?" and "book it" cannot interleave)."""
    wanted = {deposit.payee_bankgiro for deposit in parsed.deposits}
    found = {}
    for issuer in Issuer.objects.select_for_update().order_by("pk"):
        if _digits(issuer.bankgiro).lstrip("0") in wanted:
            found[_digits(issuer.bankgiro).lstrip("0")] = issuer
    for deposit in parsed.deposits:
        if deposit.payee_bankgiro not in found:
            bankgiro = deposit.payee_bankgiro
            shown = f"{bankgiro[:-4]}-{bankgiro[-4:]}" if len(bankgiro) > 4 else bankgiro
            raise bgmax.BgMaxError("unknown_bankgiro", deposit.opening_line, bankgiro=shown)
    return found


def _tokens(texts: list[str]) -> list[str]:
    tokens: list[str] = []
    for text in texts:
        for token in TOKEN.findall(text):
            if token not in tokens:
                tokens.append(token)
    return tokens


class InvoiceIndex:
    """An issuer's issued invoices by OCR reference and by number (upper case), read once per
    import so matching a file costs no query per payment."""

    def __init__(self, issuer: Issuer):
        issued = Invoice.objects.filter(
            issuer=issuer.organisation, status=Invoice.Status.ISSUED, kind=Invoice.Kind.INVOICE
        ).values_list("pk", "ocr", "number")
        self.by_ocr: dict[str, int] = {}
        self.by_number: dict[str, int] = {}
        for pk, ocr, number in issued:
            if ocr:
                self.by_ocr[ocr] = pk
            self.by_number[number.upper()] = pk
        self.booked: dict[int, int] = {}  # öre booked to each invoice by this import so far

    def find(self, texts: list[str]) -> list[int]:
        """Ids of the invoices the payer's texts name, in the order named: a valid OCR
        reference of an invoice, else an invoice number (any case) written in free text."""
        found: list[int] = []
        for token in _tokens(texts):
            pk = (self.by_ocr.get(token) if is_valid_ocr(token) else None) or self.by_number.get(
                token.upper()
            )
            if pk and pk not in found:
                found.append(pk)
        return found

    def outstanding(self, pk: int) -> int:
        row = with_balances(Invoice.objects.filter(pk=pk)).get()
        return row.total_ore - row.credited_ore - row.paid_ore - self.booked.get(pk, 0)


def split_amount(amount_ore: int, outstanding: list[int]) -> list[int]:
    """Share one payment over invoices in the order the payer named them: each gets what it
    still lacks; whatever is left over stays with the first (it shows as overpaid)."""
    parts = []
    rest = amount_ore
    for lacking in outstanding:
        part = max(0, min(rest, lacking))
        parts.append(part)
        rest -= part
    parts[0] += rest
    return parts


def _identity(deposit: bgmax.Deposit, position: int, record: bgmax.Payment) -> str:
    return (
        f"{deposit.payment_date:%Y%m%d}:{deposit.payee_bankgiro}:{deposit.serial}:"
        f"{position}:{record.bgc_serial}"
    )


def _already_booked(identities: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(identities), 500):
        chunk = identities[start : start + 500]
        found.update(
            BgMaxEntry.objects.filter(identity__in=chunk).values_list("identity", flat=True)
        )
    return found


def _shares(index: InvoiceIndex, record: bgmax.Payment) -> list[tuple[int | None, int]]:
    invoice_ids = index.find(record.texts)
    amount = record.signed_amount_ore
    if len(invoice_ids) > 1 and amount > 0:
        outstanding = [index.outstanding(pk) for pk in invoice_ids]
        shares = list(zip(invoice_ids, split_amount(amount, outstanding), strict=True))
        shares = [(pk, part) for pk, part in shares if part] or shares[:1]
    else:
        shares = [(invoice_ids[0] if invoice_ids else None, amount)]
    for pk, part in shares:
        if pk:
            index.booked[pk] = index.booked.get(pk, 0) + part
    return shares


def _book_all(
    file: BgMaxFile, parsed: bgmax.BgMaxFile, issuers: dict[str, Issuer], result: ImportResult
) -> None:
    """Match every payment not booked before, then insert payments and entries in bulk."""
    placed = [
        (deposit, record, _identity(deposit, position, record))
        for deposit in parsed.deposits
        for position, record in enumerate(deposit.payments, start=1)
    ]
    booked_before = _already_booked([identity for _d, _r, identity in placed])
    indexes = {bankgiro: InvoiceIndex(issuer) for bankgiro, issuer in issuers.items()}
    now = timezone.now()
    rows: list[tuple[Payment, BgMaxEntry]] = []
    for deposit, record, identity in placed:
        if identity in booked_before:
            result.skipped += 1
            continue
        shares = _shares(indexes[deposit.payee_bankgiro], record)
        for part, (invoice_id, share) in enumerate(shares):
            note = ""
            if len(shares) > 1:
                note = _("Part %(part)s of %(total)s, %(amount)s in all.") % {
                    "part": part + 1,
                    "total": len(shares),
                    "amount": format_sek(record.signed_amount_ore),
                }
            payment = Payment(
                amount_ore=share,
                paid_on=deposit.payment_date,
                reference=(record.reference or " ".join(record.texts))[:100],
                payer_name=record.payer_name[:200],
                invoice_id=invoice_id,
                source=Payment.Source.BGMAX,
                source_file_sha256=file.sha256,
                source_line=record.line,
                matched_at=now if invoice_id else None,
                note=note,
            )
            entry = BgMaxEntry(
                file=file,
                identity=identity,
                part=part,
                payee_bankgiro=deposit.payee_bankgiro,
                reference_code=record.reference_code,
                texts=record.texts,
            )
            rows.append((payment, entry))
    Payment.objects.bulk_create([payment for payment, _entry in rows], batch_size=500)
    for payment, entry in rows:
        entry.payment = payment
    BgMaxEntry.objects.bulk_create([entry for _payment, entry in rows], batch_size=500)
    result.payments.extend(ImportedPayment(payment, "unmatched") for payment, _entry in rows)


def import_bgmax(data: bytes, user=None, name: str = "") -> ImportResult:
    """Read a BgMax file and book its payments; raises bgmax.BgMaxError (nothing booked) when
    the file is corrupt or pays to a bankgiro no issuer has."""
    parsed = bgmax.parse(data)
    if parsed.start.is_test and settings.IS_PRODUCTION:
        # Bankgirot marks its test files with T (start record, position 45): their payments
        # never happened, so a production system books none of them.
        raise bgmax.BgMaxError("test_file", 1)
    with transaction.atomic():
        issuers = _issuers_by_bankgiro(parsed)
        if BgMaxFile.objects.filter(sha256=parsed.sha256).exists():
            return ImportResult(parsed.sha256, already_imported=True)
        try:
            with transaction.atomic():
                file = BgMaxFile.objects.create(
                    sha256=parsed.sha256,
                    name=name[:255],
                    written_at=timezone.make_aware(parsed.start.written_at)
                    if timezone.is_naive(parsed.start.written_at)
                    else parsed.start.written_at,
                    is_test=parsed.start.is_test,
                    imported_by=user if user and user.is_authenticated else None,
                )
        except IntegrityError:  # the same file, imported at this moment by someone else
            return ImportResult(parsed.sha256, already_imported=True)
        result = ImportResult(parsed.sha256, file=file)
        _book_all(file, parsed, issuers, result)
        _settle_states(result)
        file.payment_count = len(parsed.payments)
        file.total_ore = sum(record.signed_amount_ore for _deposit, record in parsed.payments)
        file.matched_count = sum(1 for p in result.payments if p.payment.invoice_id)
        file.unmatched_count = result.count("unmatched")
        file.skipped_count = result.skipped
        file.save()
        return result


def _settle_states(result: ImportResult) -> None:
    """Each matched payment's state is its invoice's state once the whole file is booked."""
    invoice_ids = {p.payment.invoice_id for p in result.payments if p.payment.invoice_id}
    balances = {
        row.pk: Balance(row.total_ore, row.credited_ore, row.paid_ore)
        for row in with_balances(Invoice.objects.filter(pk__in=invoice_ids))
    }
    for imported in result.payments:
        if imported.payment.invoice_id:
            imported.state = balances[imported.payment.invoice_id].state


def matchable_invoice(number: str) -> Invoice:
    """The issued invoice with `number` (any case), for matching a payment by hand."""
    found = list(
        Invoice.objects.annotate(upper_number=Upper("number")).filter(
            upper_number=number.strip().upper(),
            status=Invoice.Status.ISSUED,
            kind=Invoice.Kind.INVOICE,
        )[:2]
    )
    if len(found) != 1:
        raise ValidationError(
            _("No issued invoice has the number %(number)s.")
            if not found
            else _("Several issuers have an invoice numbered %(number)s."),
            params={"number": number},
        )
    return found[0]


@transaction.atomic
def match_payment(payment: Payment, invoice: Invoice, user, reason: str) -> Payment:
    """Match an unmatched payment to an issued invoice by hand; recorded in the audit trail."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.invoice_id:
        raise ValidationError(
            _("This payment is already matched to invoice %(number)s."),
            params={"number": payment.invoice.number},
        )
    if not reason.strip():
        raise ValidationError(_("Say why the payment belongs to this invoice."))
    if invoice.status != Invoice.Status.ISSUED or invoice.is_credit_note:
        raise ValidationError(_("A payment can only be matched to an issued invoice."))
    payment.invoice = invoice
    payment.matched_by = user
    payment.matched_at = timezone.now()
    payment.note = "\n".join(filter(None, [payment.note, reason.strip()]))
    payment.save(update_fields=["invoice", "matched_by", "matched_at", "note"])
    record_change(
        user,
        "matched",
        payment,
        {"invoice": [None, invoice.number]},
        reason=reason.strip(),
        municipality_id=invoice.buyer_id,
    )
    return payment


def unmatched_payments():
    """Payments no invoice claims yet, oldest first, for matching by hand."""
    return (
        Payment.objects.filter(invoice__isnull=True)
        .select_related("bgmax_entry")
        .order_by("paid_on", "pk")
    )
