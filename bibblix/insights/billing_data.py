"""Everything insights reads from billing, in one place and only through `billing.services`
(the documented exception to "nothing imports billing": insights reads it, never writes).

Each function returns None when billing does not offer that data (yet), so the pages and the
report can say "Fakturering saknas för perioden" instead of inventing figures.
"""

import datetime

from bibblix.billing import services as billing


def _call(name: str, *args, **kwargs):
    function = getattr(billing, name, None)
    return function(*args, **kwargs) if function else None


def ledger(
    year: int | None = None,
    *,
    issuer_id: int | None = None,
    buyer_id: int | None = None,
    today=None,
) -> list | None:
    """billing.services.ledger rows (invoices and credit notes), or None without a ledger."""
    return _call("ledger", year, issuer_id=issuer_id, buyer_id=buyer_id, today=today)


def issued_between(start: datetime.date, end: datetime.date, issuer_id: int | None) -> list | None:
    """Ledger rows issued from `start` to `end` inclusive (by issue date, whatever fee year
    they belong to), for one issuer or all."""
    rows = ledger(None, issuer_id=issuer_id)
    return None if rows is None else [row for row in rows if start <= row.issue_date <= end]


def knows_year(year: int) -> bool:
    """Whether billing has anything for `year`: a fee schedule or an issued invoice. Without
    either, figures for the year are missing, not zero."""
    return _call("annual_fee_ore", year, 1, False) is not None or bool(ledger(year))


def expected_fees(year: int) -> dict[tuple[int, int], int] | None:
    """(issuer id, buyer id) → what the register and fee schedule imply for `year`, in öre;
    None when billing has no fee schedule for the year (nothing can be expected then)."""
    if _call("annual_fee_ore", year, 1, False) is None:
        return None
    return _call("expected_fees", year)


def invoices_for_member(organisation_id: int) -> list | None:
    return _call("invoices_for_member", organisation_id)


def pending_runs() -> list | None:
    return _call("pending_runs")


def payments_between(
    start: datetime.date, end: datetime.date, issuer_id: int | None = None
) -> list | None:
    """Payments received in the period (matched to `issuer_id`'s invoices when given)."""
    return _call("payments_between", start, end, issuer_id=issuer_id)


def unmatched_payments() -> list | None:
    return _call("unmatched_payments")


def has_invoices() -> bool:
    """Whether billing keeps invoices yet (its ledger services exist)."""
    return hasattr(billing, "invoices_for_member")
