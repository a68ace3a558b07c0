"""Reading Bankgirot's BgMax files ("Bankgiro Inbetalningar", incoming payments).

A BgMax file is ISO-8859-1 text of 80-position records, one per line (CRLF or LF). The first two
positions are the transaction code (TK). Layout, from Bankgirot's technical manual for Bankgiro
Inbetalningar, section "Record and file description for the BgMax file":

    01 start        3-22 layout name "BGMAX", 23-24 version, 25-44 written at
                    (YYYYMMDDHHMMSSffffff), 45 test flag (T test, P production)
    05 opening      3-12 payee bankgiro, 13-22 payee plusgiro, 23-25 currency
    20 payment      3-12 payer bankgiro, 13-37 reference, 38-55 amount in öre, 56 reference
    21 deduction       code, 57 payment channel, 58-69 BGC serial number, 70 image flag;
                    21 adds 71 deduction code
    22/23 extra     same layout as 20; 22 adds to, 23 takes from the payment before it
      reference
    25 information  3-52 free text
    26 name         3-37 name, 38-72 extra name
    27 address 1    3-37 address, 38-46 postcode
    28 address 2    3-37 city, 38-72 country, 73-74 country code
    29 org number   3-14 payer's organisation or personal identity number
    15 deposit      3-37 payee bank account, 38-45 payment date, 46-50 deposit serial,
                    51-68 amount in öre, 69-71 currency, 72-79 number of payments,
                    80 deposit type
    70 end          3-10 payments (20), 11-18 deductions (21), 19-26 extra references (22, 23),
                    27-34 deposits (15)

A file is 01, then per deposit 05, its payments (each 20 or 21 followed by its 22-29), 15, and
last 70. A deposit's amount is its payments minus its deductions.

Decisions where files in the wild differ from the manual (docs/billing.md, "Payments"):
- A tab is read as spaces to the next multiple of 8 (Bankgirot's own example file, as
  redistributed, has one record where an editor replaced spaces by tabs; expanding them restores
  the record exactly).
- A record shorter than 80 positions is read as if the missing positions were blanks, since
  transfers often strip trailing blanks; a required field that falls in the missing part is
  still refused. A record longer than 80 positions is refused.

Anything else that does not fit refuses the whole file with a `BgMaxError` naming the line.
No Django imports: this module is the format alone.
"""

import datetime
import hashlib
from dataclasses import dataclass, field

RECORD_LENGTH = 80
TAB_SIZE = 8
KNOWN_CODES = {"01", "05", "20", "21", "22", "23", "25", "26", "27", "28", "29", "15", "70"}
PAYER_DETAIL_CODES = {"22", "23", "25", "26", "27", "28", "29"}

# Reference codes of records 20-23 (the manual's "Referenskod").
REFERENCE_NONE = (0, 1)
REFERENCE_OCR = 2  # the reference passed the payee's OCR check (here: check digit + length)
REFERENCE_SEVERAL = 3  # one or more references, in this record and in records 22/23
REFERENCE_UNCHECKED = 4  # one reference, not OCR-checked (free text)
REFERENCE_WRONG = 5  # the payer wrote a reference that failed the OCR check


class BgMaxError(ValueError):
    """The file is not a well-formed BgMax file; nothing in it may be used.

    `reason` is a short key (for messages in the user's language), `line` the 1-based line
    number or None for the file as a whole, `details` the values the message needs."""

    def __init__(self, reason: str, line: int | None = None, **details: object):
        self.reason = reason
        self.line = line
        self.details = details
        where = f"line {line}: " if line else ""
        extra = ", ".join(f"{key}={value!r}" for key, value in details.items())
        super().__init__(f"{where}{reason}" + (f" ({extra})" if extra else ""))


@dataclass(frozen=True)
class Start:
    layout: str
    version: int
    written_at: datetime.datetime
    is_test: bool


@dataclass
class ExtraReference:
    """Record 22 (adds) or 23 (takes away): another reference of the payment before it."""

    line: int
    reference: str
    amount_ore: int  # signed: negative for record 23
    reference_code: int
    bgc_serial: str


@dataclass
class Payment:
    """Record 20 (payment) or 21 (deduction) with the records 22-29 that follow it."""

    line: int
    is_deduction: bool
    payer_bankgiro: str
    reference: str
    amount_ore: int  # as written: positive; see signed_amount_ore
    reference_code: int
    channel: int  # 1 bank, 2 Leverantörsbetalningar, 3 paper form, 4 Autogiro
    bgc_serial: str
    has_image: bool
    deduction_code: int | None = None
    extra_references: list[ExtraReference] = field(default_factory=list)
    information: list[str] = field(default_factory=list)
    payer_name: str = ""
    payer_extra_name: str = ""
    payer_address: str = ""
    payer_postcode: str = ""
    payer_city: str = ""
    payer_country: str = ""
    payer_country_code: str = ""
    payer_org_number: str = ""

    @property
    def signed_amount_ore(self) -> int:
        """What the payment adds to the deposit: a deduction takes away."""
        return -self.amount_ore if self.is_deduction else self.amount_ore

    @property
    def texts(self) -> list[str]:
        """Every free text the payer wrote: the references and the information records."""
        references = [self.reference] + [extra.reference for extra in self.extra_references]
        return [text for text in references + self.information if text]


@dataclass
class Deposit:
    """Records 05 ... 15: payments deposited on one day to one of the payee's accounts."""

    opening_line: int
    payee_bankgiro: str
    payee_plusgiro: str
    currency: str
    payments: list[Payment] = field(default_factory=list)
    line: int = 0
    account: str = ""
    payment_date: datetime.date | None = None
    serial: int = 0
    amount_ore: int = 0
    payment_count: int = 0
    deposit_type: str = ""


@dataclass
class BgMaxFile:
    sha256: str
    start: Start
    deposits: list[Deposit]

    @property
    def payments(self) -> list[tuple[Deposit, Payment]]:
        return [(deposit, payment) for deposit in self.deposits for payment in deposit.payments]


@dataclass
class _Record:
    """One line, padded to 80 positions, with 1-based field access that checks as it reads."""

    number: int
    text: str

    @property
    def code(self) -> str:
        return self.text[:2]

    def raw(self, first: int, last: int) -> str:
        return self.text[first - 1 : last]

    def text_field(self, first: int, last: int) -> str:
        return self.raw(first, last).strip()

    def digits(self, first: int, last: int, name: str) -> str:
        value = self.raw(first, last)
        if not (value.isascii() and value.isdigit()):
            raise BgMaxError("bad_field", self.number, field=name, positions=f"{first}-{last}")
        return value

    def number_field(self, first: int, last: int, name: str) -> int:
        return int(self.digits(first, last, name))

    def optional_digits(self, first: int, last: int, name: str) -> str:
        if not self.raw(first, last).strip():
            return ""
        return self.digits(first, last, name)

    def date(self, first: int, name: str) -> datetime.date:
        value = self.digits(first, first + 7, name)
        try:
            return datetime.date(int(value[:4]), int(value[4:6]), int(value[6:]))
        except ValueError:
            raise BgMaxError(
                "bad_field", self.number, field=name, positions=f"{first}-{first + 7}"
            ) from None

    def one_of(self, position: int, allowed: str, name: str) -> str:
        value = self.raw(position, position)
        if value not in allowed:
            raise BgMaxError("bad_field", self.number, field=name, positions=str(position))
        return value


def _records(data: bytes) -> list[_Record]:
    if not data.strip():
        raise BgMaxError("empty")
    lines = data.decode("iso-8859-1").split("\n")
    if lines and not lines[-1].strip("\r"):
        lines.pop()  # the line end after the last record
    records = []
    for number, line in enumerate(lines, start=1):
        line = line.removesuffix("\r").expandtabs(TAB_SIZE)
        if len(line) > RECORD_LENGTH:
            raise BgMaxError("too_long", number, length=len(line))
        if len(line) < 2 or line[:2] not in KNOWN_CODES:
            raise BgMaxError("unknown_code", number, code=line[:2])
        records.append(_Record(number, line.ljust(RECORD_LENGTH)))
    return records


def _bankgiro(record: _Record, first: int, last: int, name: str) -> str:
    value = record.optional_digits(first, last, name)
    return value.lstrip("0")


def _start(record: _Record) -> Start:
    if record.code != "01":
        raise BgMaxError("no_start", record.number)
    layout = record.text_field(3, 22)
    if layout != "BGMAX":
        raise BgMaxError("not_bgmax", record.number, layout=layout)
    version = record.number_field(23, 24, "version")
    stamp = record.digits(25, 44, "written_at")
    try:
        written_at = datetime.datetime.strptime(stamp[:14], "%Y%m%d%H%M%S").replace(
            microsecond=int(stamp[14:])
        )
    except ValueError:
        raise BgMaxError(
            "bad_field", record.number, field="written_at", positions="25-44"
        ) from None
    is_test = record.one_of(45, "TP", "test_flag") == "T"
    return Start(layout, version, written_at, is_test)


def _payment(record: _Record) -> Payment:
    is_deduction = record.code == "21"
    return Payment(
        line=record.number,
        is_deduction=is_deduction,
        payer_bankgiro=_bankgiro(record, 3, 12, "payer_bankgiro"),
        reference=record.text_field(13, 37),
        amount_ore=record.number_field(38, 55, "amount"),
        reference_code=record.number_field(56, 56, "reference_code"),
        channel=record.number_field(57, 57, "channel"),
        bgc_serial=record.digits(58, 69, "bgc_serial"),
        has_image=record.one_of(70, "01", "image_flag") == "1",
        deduction_code=record.number_field(71, 71, "deduction_code") if is_deduction else None,
    )


def _extra_reference(record: _Record) -> ExtraReference:
    amount = record.number_field(38, 55, "amount")
    return ExtraReference(
        line=record.number,
        reference=record.text_field(13, 37),
        amount_ore=-amount if record.code == "23" else amount,
        reference_code=record.number_field(56, 56, "reference_code"),
        bgc_serial=record.digits(58, 69, "bgc_serial"),
    )


def _add_detail(payment: Payment, record: _Record) -> None:
    code = record.code
    if code in ("22", "23"):
        payment.extra_references.append(_extra_reference(record))
    elif code == "25":
        payment.information.append(record.text_field(3, 52))
    elif code == "26":
        payment.payer_name = record.text_field(3, 37)
        payment.payer_extra_name = record.text_field(38, 72)
    elif code == "27":
        payment.payer_address = record.text_field(3, 37)
        payment.payer_postcode = record.text_field(38, 46)
    elif code == "28":
        payment.payer_city = record.text_field(3, 37)
        payment.payer_country = record.text_field(38, 72)
        payment.payer_country_code = record.text_field(73, 74)
    elif code == "29":
        payment.payer_org_number = record.optional_digits(3, 14, "payer_org_number")


def _opening(record: _Record) -> Deposit:
    return Deposit(
        opening_line=record.number,
        payee_bankgiro=_bankgiro(record, 3, 12, "payee_bankgiro"),
        payee_plusgiro=_bankgiro(record, 13, 22, "payee_plusgiro"),
        currency=record.text_field(23, 25),
    )


def _close(deposit: Deposit, record: _Record) -> None:
    deposit.line = record.number
    deposit.account = record.text_field(3, 37)
    deposit.payment_date = record.date(38, "payment_date")
    deposit.serial = record.number_field(46, 50, "deposit_serial")
    deposit.amount_ore = record.number_field(51, 68, "amount")
    deposit.payment_count = record.number_field(72, 79, "payment_count")
    deposit.deposit_type = record.text_field(80, 80)
    found = len(deposit.payments)
    if deposit.payment_count != found:
        raise BgMaxError(
            "deposit_count", record.number, expected=deposit.payment_count, found=found
        )
    total = sum(payment.signed_amount_ore for payment in deposit.payments)
    if deposit.amount_ore != total:
        raise BgMaxError("deposit_amount", record.number, expected=deposit.amount_ore, found=total)


def _check_end(record: _Record, deposits: list[Deposit]) -> None:
    payments = [payment for deposit in deposits for payment in deposit.payments]
    found = {
        "payments": sum(not payment.is_deduction for payment in payments),
        "deductions": sum(payment.is_deduction for payment in payments),
        "extra_references": sum(len(payment.extra_references) for payment in payments),
        "deposits": len(deposits),
    }
    for (name, count), first in zip(found.items(), (3, 11, 19, 27), strict=True):
        expected = record.number_field(first, first + 7, f"{name}_count")
        if expected != count:
            raise BgMaxError("end_count", record.number, count=name, expected=expected, found=count)


def parse(data: bytes) -> BgMaxFile:
    """Read a whole BgMax file, or raise BgMaxError naming the first line that is wrong."""
    records = _records(data)
    start = _start(records[0])
    deposits: list[Deposit] = []
    deposit: Deposit | None = None  # the open section, between 05 and 15
    payment: Payment | None = None  # the payment that records 22-29 belong to
    for record in records[1:]:
        code = record.code
        if code == "05" and deposit is None:
            deposit, payment = _opening(record), None
        elif code in ("20", "21") and deposit is not None:
            payment = _payment(record)
            deposit.payments.append(payment)
        elif code in PAYER_DETAIL_CODES and payment is not None:
            _add_detail(payment, record)
        elif code == "15" and deposit is not None:
            _close(deposit, record)
            deposits.append(deposit)
            deposit = payment = None
        elif code == "70" and deposit is None:
            _check_end(record, deposits)
            if record is not records[-1]:
                raise BgMaxError("after_end", records[records.index(record) + 1].number)
            return BgMaxFile(hashlib.sha256(data).hexdigest(), start, deposits)
        else:
            raise BgMaxError("out_of_order", record.number, code=code)
    raise BgMaxError("no_end", records[-1].number)
