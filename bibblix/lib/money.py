"""Money is integers in öre; this module is the one place that formats and rounds it.

The one rounding rule: half away from zero, to whole öre (`divide`). VAT, pro rata and shares
all go through it, so the same input always gives the same öre everywhere.
"""


def format_sek(ore: int) -> str:
    """Format an amount in öre as Swedish kronor, e.g. 1234550 -> '12 345,50 kr'."""
    sign = "-" if ore < 0 else ""
    kronor, rest = divmod(abs(ore), 100)
    grouped = f"{kronor:,}".replace(",", "\u00a0")
    return f"{sign}{grouped},{rest:02d}\u00a0kr"


def format_percent(basis_points: int) -> str:
    """Format a rate in basis points as Swedish per cent, e.g. 2500 -> '25 %', 650 -> '6,5 %'."""
    whole, rest = divmod(basis_points, 100)
    decimals = f",{rest:02d}".rstrip("0").rstrip(",")
    return f"{whole}{decimals}\u00a0%"


def divide(numerator: int, denominator: int) -> int:
    """`numerator / denominator` rounded half away from zero to a whole number (of öre)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    quotient, remainder = divmod(abs(numerator), denominator)
    if remainder * 2 >= denominator:
        quotient += 1
    return quotient if numerator >= 0 else -quotient


def percent_of(ore: int, basis_points: int) -> int:
    """`basis_points`/10000 of an amount, rounded half away from zero to whole öre."""
    return divide(ore * basis_points, 10000)


def vat_amount(taxable_ore: int, rate_basis_points: int) -> int:
    """VAT on a category's taxable total (EN 16931 BR-CO-17: per category total, not per line)."""
    return percent_of(taxable_ore, rate_basis_points)


def pro_rata(ore: int, days: int, days_in_period: int) -> int:
    """The share of a yearly amount for `days` out of `days_in_period` (365 or 366)."""
    return divide(ore * days, days_in_period)


def kronor_decimal(ore: int) -> str:
    """An amount in öre as kronor with a point and two decimals, exact (no floats):
    1234550 -> '12345.50', -5 -> '-0.05'. The form UBL, SIE and CSV files carry."""
    sign = "-" if ore < 0 else ""
    kronor, rest = divmod(abs(ore), 100)
    return f"{sign}{kronor}.{rest:02d}"
