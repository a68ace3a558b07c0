"""Money is integers in öre; this module is the one place that formats and rounds it."""


def format_sek(ore: int) -> str:
    """Format an amount in öre as Swedish kronor, e.g. 1234550 -> '12 345,50 kr'."""
    sign = "-" if ore < 0 else ""
    kronor, rest = divmod(abs(ore), 100)
    grouped = f"{kronor:,}".replace(",", "\u00a0")
    return f"{sign}{grouped},{rest:02d}\u00a0kr"


def percent_of(ore: int, basis_points: int) -> int:
    """`basis_points`/10000 of an amount, rounded half away from zero to whole öre."""
    numerator = ore * basis_points
    quotient, remainder = divmod(abs(numerator), 10000)
    if remainder * 2 >= 10000:
        quotient += 1
    return quotient if numerator >= 0 else -quotient


def kronor_decimal(ore: int) -> str:
    """An amount in öre as kronor with a point and two decimals, exact (no floats):
    1234550 -> '12345.50', -5 -> '-0.05'. The form UBL, SIE and CSV files carry."""
    sign = "-" if ore < 0 else ""
    kronor, rest = divmod(abs(ore), 100)
    return f"{sign}{kronor}.{rest:02d}"
