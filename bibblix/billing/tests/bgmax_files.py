"""Small BgMax files for tests, built record by record at the manual's positions."""

import datetime

PAYEE_BANKGIRO = "9912346"


def start(written_at: str = "20261201120000000000", test_flag: str = "P") -> str:
    return f"01{'BGMAX':<20}01{written_at}{test_flag}".ljust(80)


def opening(bankgiro: str = PAYEE_BANKGIRO) -> str:
    return f"05{bankgiro:0>10}{'':10}SEK".ljust(80)


def payment(
    reference: str,
    amount_ore: int,
    *,
    reference_code: int = 2,
    serial: int = 1,
    deduction: bool = False,
    payer_bankgiro: str = "3783511",
) -> str:
    code = "21" if deduction else "20"
    record = f"{code}{payer_bankgiro:0>10}{reference:>25}{amount_ore:018d}{reference_code}1{serial:012d}0"
    return (record + ("0" if deduction else "")).ljust(80)


def extra_reference(reference: str, amount_ore: int = 0, *, minus: bool = False) -> str:
    code = "23" if minus else "22"
    return f"{code}{'3783511':0>10}{reference:>25}{amount_ore:018d}21{0:012d}0".ljust(80)


def information(text: str) -> str:
    return f"25{text:<50}".ljust(80)


def name(text: str) -> str:
    return f"26{text:<35}".ljust(80)


def deposit(day: datetime.date, serial: int, amount_ore: int, count: int) -> str:
    account = "0" * 35
    return f"15{account}{day:%Y%m%d}{serial:05d}{amount_ore:018d}SEK{count:08d} "


def end(payments: int, deductions: int, extras: int, deposits: int) -> str:
    return f"70{payments:08d}{deductions:08d}{extras:08d}{deposits:08d}".ljust(80)


def bgmax_file(
    sections: list[list[str]],
    *,
    day: datetime.date = datetime.date(2026, 12, 1),
    written_at: str = "20261201120000000000",
    line_end: str = "\r\n",
) -> bytes:
    """A whole file: each section is a list of records 20-29; opening, deposit and end records
    are added with the counts and sums the manual asks for."""
    lines = [start(written_at)]
    totals = {"20": 0, "21": 0, "22": 0, "23": 0}
    for serial, records in enumerate(sections, start=1):
        lines.append(opening())
        lines.extend(records)
        amount = count = 0
        for record in records:
            code = record[:2]
            totals[code] = totals.get(code, 0) + 1
            if code in ("20", "21"):
                count += 1
                value = int(record[37:55])
                amount += -value if code == "21" else value
        lines.append(deposit(day, serial, amount, count))
    lines.append(end(totals["20"], totals["21"], totals["22"] + totals["23"], len(sections)))
    return (line_end.join(lines) + line_end).encode("iso-8859-1")
