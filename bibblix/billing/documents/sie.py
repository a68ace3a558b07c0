"""SIE 4i files (SIE filformat utgåva 4B, type 4i: vouchers for import into an accounting system).

One balanced voucher per invoice, credit note and payment. Debit is positive, credit negative,
amounts in kronor with a point and two decimals; text is encoded as IBM PC 8-bit (CP437,
`#FORMAT PC8`) with CRLF line ends, as the SIE specification requires.
"""

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata

from django.utils.translation import gettext as _

from bibblix.lib.money import kronor_decimal

from .checks import DocumentError, check_document
from .data import InvoiceDocument, Party

# Accounts by role, from the BAS chart of accounts; billing's BAS mapping (edited by staff)
# passes its own mapping with the same keys. VAT accounts are keyed by rate in whole percent.
# Revenue is credited per line: to "revenue_<fee type>" when the mapping has it (e.g.
# "revenue_service"), else to the account of the line's VAT category ("revenue_S"/"revenue_O").
DEFAULT_ACCOUNTS: dict[str, str] = {
    "receivable": "1510",  # Kundfordringar
    "bank": "1930",  # Företagskonto / checkkonto (bankgiro)
    "revenue_S": "3001",  # Försäljning inom Sverige, 25 % moms
    "revenue_O": "3004",  # Försäljning inom Sverige, momsfri (utanför momsens område)
    "vat_out_25": "2611",  # Utgående moms på försäljning inom Sverige, 25 %
    "vat_out_12": "2621",  # Utgående moms på försäljning inom Sverige, 12 %
    "vat_out_6": "2631",  # Utgående moms på försäljning inom Sverige, 6 %
}
ACCOUNT_NAMES: dict[str, str] = {
    "1510": "Kundfordringar",
    "1930": "Företagskonto/checkkonto/affärskonto",
    "2611": "Utgående moms på försäljning inom Sverige, 25 %",
    "2621": "Utgående moms på försäljning inom Sverige, 12 %",
    "2631": "Utgående moms på försäljning inom Sverige, 6 %",
    "3001": "Försäljning inom Sverige, 25 % moms",
    "3004": "Försäljning inom Sverige, momsfri",
}
INVOICE_SERIES = "F"  # kundfakturor och kreditfakturor
PAYMENT_SERIES = "I"  # inbetalningar


@dataclass(frozen=True)
class Transaction:
    account: str
    amount_ore: int  # debit positive, credit negative
    text: str = ""


@dataclass(frozen=True)
class Voucher:
    series: str
    number: str  # "" lets the accounting system number the voucher on import
    date: datetime.date
    text: str
    transactions: tuple[Transaction, ...]

    @property
    def balance_ore(self) -> int:
        return sum(t.amount_ore for t in self.transactions)


def invoice_voucher(
    doc: InvoiceDocument,
    accounts: Mapping[str, str] = DEFAULT_ACCOUNTS,
    *,
    series: str = INVOICE_SERIES,
    number: str = "",
) -> Voucher:
    """The voucher of an invoice (debit receivables, credit revenue per fee type or VAT category
    and output VAT per rate) or of a credit note (the same, reversed)."""
    check_document(doc)
    sign = -1 if doc.kind == "credit_note" else 1
    rows = [Transaction(_account(accounts, "receivable"), sign * doc.total_ore)]
    for line in doc.lines:
        revenue = accounts.get(f"revenue_{line.fee_type}") if line.fee_type else None
        revenue = revenue or _account(accounts, f"revenue_{line.vat_category}")
        rows.append(Transaction(revenue, -sign * line.net_ore))
    for vat in doc.vat:
        if vat.vat_ore:
            key = f"vat_out_{vat.rate_bp / 100:g}"  # 2500 -> "vat_out_25"
            rows.append(Transaction(_account(accounts, key), -sign * vat.vat_ore))
    label = "Kreditfaktura" if doc.kind == "credit_note" else "Faktura"
    return Voucher(
        series=series,
        number=number,
        date=doc.issue_date,
        text=f"{label} {doc.number} {doc.buyer.name}",
        transactions=_merge(rows),
    )


def payment_voucher(
    amount_ore: int,
    paid_on: datetime.date,
    text: str,
    accounts: Mapping[str, str] = DEFAULT_ACCOUNTS,
    *,
    series: str = PAYMENT_SERIES,
    number: str = "",
) -> Voucher:
    """The voucher of an incoming payment: debit the bank, credit receivables."""
    return Voucher(
        series=series,
        number=number,
        date=paid_on,
        text=text,
        transactions=(
            Transaction(_account(accounts, "bank"), amount_ore),
            Transaction(_account(accounts, "receivable"), -amount_ore),
        ),
    )


def sie_file(
    vouchers: Iterable[Voucher],
    company: Party,
    *,
    account_names: Mapping[str, str] = ACCOUNT_NAMES,
    generated_on: datetime.date | None = None,
    program_version: str | None = None,
) -> bytes:
    """A SIE 4i file of `vouchers` for `company`, CP437 with CRLF; refuses (DocumentError) a
    voucher that does not balance or has no rows."""
    vouchers = list(vouchers)
    for voucher in vouchers:
        if not voucher.transactions or voucher.balance_ore != 0:
            raise DocumentError(
                voucher.text,
                _("the voucher does not balance (%(difference)s kr)")
                % {"difference": kronor_decimal(voucher.balance_ore)},
            )
    generated_on = generated_on or datetime.date.today()
    accounts = sorted({t.account for v in vouchers for t in v.transactions})
    lines = [
        "#FLAGGA 0",
        "#FORMAT PC8",
        "#SIETYP 4",
        f"#PROGRAM Bibblix {_field(program_version or _version(), quote=False)}",
        f"#GEN {generated_on:%Y%m%d}",
        f"#FNAMN {_field(company.name)}",
        f"#ORGNR {_field(company.organisation_number, quote=False)}",
        "#VALUTA SEK",
    ]
    lines += [f"#KONTO {a} {_field(account_names.get(a, f'Konto {a}'))}" for a in accounts]
    for voucher in vouchers:
        lines.append(
            f"#VER {_field(voucher.series, quote=False)} {_field(voucher.number, quote=False)} "
            f"{voucher.date:%Y%m%d} "
            f"{_field(voucher.text)}"
        )
        lines.append("{")
        for t in voucher.transactions:
            text = f" {voucher.date:%Y%m%d} {_field(t.text)}" if t.text else ""
            lines.append(f"   #TRANS {t.account} {{}} {kronor_decimal(t.amount_ore)}{text}")
        lines.append("}")
    return "".join(f"{line}\r\n" for line in lines).encode("cp437", errors="replace")


def _account(accounts: Mapping[str, str], role: str) -> str:
    try:
        return accounts[role]
    except KeyError:
        raise DocumentError(
            _("BAS mapping"), _("no account for %(role)s") % {"role": role}
        ) from None


def _merge(rows: list[Transaction]) -> tuple[Transaction, ...]:
    """One row per account (two VAT categories may share a revenue account); no zero rows."""
    totals: dict[str, int] = {}
    for row in rows:
        totals[row.account] = totals.get(row.account, 0) + row.amount_ore
    return tuple(Transaction(account, ore) for account, ore in totals.items() if ore)


# Characters register names and texts often hold that CP437 lacks, as their nearest ASCII.
_NOT_IN_CP437 = str.maketrans(
    {"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " ", "…": "..."}
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NEEDS_QUOTES = re.compile(r'[\s"{}\\]')


def _field(value: str, *, quote: bool = True) -> str:
    r"""A SIE field: in quotes when asked, when empty or when it holds a space, quote, brace or
    backslash; a quote inside is written \" (spec 4B, 5.7) and a backslash \\. Control
    characters are never allowed in a SIE file and become spaces."""
    value = _CONTROL.sub(" ", value.translate(_NOT_IN_CP437))
    if not (quote or not value or _NEEDS_QUOTES.search(value)):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _version() -> str:
    try:
        return metadata.version("bibblix")
    except metadata.PackageNotFoundError:
        return "0"
