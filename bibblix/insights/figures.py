"""Raw figures read from the roll-ups (DailyCount). Nothing here suppresses: callers outside the
association go through `services`, which does."""

import datetime

from django.db.models import Count, Max, Sum
from django.db.models.functions import TruncMonth

from .models import NATIONAL, DailyCount, FillState, YearTotal
from .rollup import METRICS, YEAR_TOTALS, has_month_totals, is_monthly, month_end, month_start


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """First days of the months from `start`'s to `end`'s."""
    months, month = [], month_start(start)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _whole_months(metric: str, start, end) -> bool:
    """Whether start..end can be read from the month totals: it starts on a month's first day
    and ends on a month's last day or past the last day counted (the month so far)."""
    if start.day != 1 or not has_month_totals(METRICS[metric]):
        return False
    if end == month_end(end):
        return True
    filled = FillState.objects.filter(metric=metric).values_list("filled_through", flat=True)
    return bool(filled) and end >= filled[0]


def _rows(metric: str, start, end, municipality_id: int | None, dimension: str = ""):
    if not dimension and _whole_months(metric, start, end):
        dimension = "month"
    rows = DailyCount.objects.filter(metric=metric, dimension=dimension)
    if dimension == "month" or is_monthly(METRICS[metric], dimension):
        rows = rows.filter(day__gte=month_start(start), day__lte=end)
    else:
        rows = rows.filter(day__gte=start, day__lte=end)
    if municipality_id is not None:
        rows = rows.filter(municipality_id=municipality_id)
    return rows


def total(metric: str, start, end, scope: int = NATIONAL) -> int:
    """The metric summed over the days start..end for one municipality (or NATIONAL)."""
    return _rows(metric, start, end, scope).aggregate(n=Sum("value"))["n"] or 0


def by_month(metric: str, start, end, scope: int = NATIONAL) -> dict[datetime.date, int]:
    """The metric per month (first day → value), every month of the range present."""
    found: dict[datetime.date, int] = dict.fromkeys(months_between(start, end), 0)
    rows = _rows(metric, start, end, scope)
    if is_monthly(METRICS[metric], "") or _whole_months(metric, start, end):
        pairs = rows.values_list("day", "value")
    else:
        pairs = rows.annotate(month=TruncMonth("day")).values("month").annotate(n=Sum("value"))
        pairs = [(row["month"], row["n"]) for row in pairs]
    for month, value in pairs:
        month = month.date() if isinstance(month, datetime.datetime) else month
        found[month] = found.get(month, 0) + value
    return found


def by_key(metric: str, dimension: str, start, end, scope: int = NATIONAL) -> dict[str, int]:
    """The metric split by a dimension (key → value) over the range."""
    rows = _rows(metric, start, end, scope, dimension).values("key").annotate(n=Sum("value"))
    return {row["key"]: row["n"] for row in rows}


def whole_year(metric: str, dimension: str, start, end, scope: int = NATIONAL) -> int | None:
    """The year whose `YearTotal` rows are exactly `by_key` over start..end, or None: the whole
    country (the only scope kept per year), and the range starts in January (monthly rows count
    from their month's first day) and ends in the same year after the year's last month with
    rows (none later in the year that it would leave out)."""
    if (metric, dimension) not in YEAR_TOTALS or scope != NATIONAL:
        return None
    if start.month != 1 or end.year != start.year:
        return None
    later = DailyCount.objects.filter(
        metric=metric,
        dimension=dimension,
        municipality_id=scope,
        day__gt=end,
        day__lte=datetime.date(end.year, 12, 31),
    )
    return None if later.exists() else start.year


def _year_totals(metric: str, dimension: str, year: int, scope: int, low=1, high=None):
    """A year's totals of low or more (and high at most, when given)."""
    totals = YearTotal.objects.filter(
        metric=metric, dimension=dimension, municipality_id=scope, year=year, value__gte=low
    )
    return totals if high is None else totals.filter(value__lte=high)


def largest_of_year(
    metric: str, dimension: str, year: int, scope: int, count: int
) -> list[tuple[str, int]]:
    """The `count` largest year totals (key, value), largest first, and every other one equal to
    the last of them (so that the caller can order ties as it likes): an index-ordered LIMIT."""
    totals = _year_totals(metric, dimension, year, scope)
    rows = list(totals.order_by("-value").values_list("key", "value")[:count])
    if len(rows) == count:
        last = rows[-1][1]
        ties = totals.filter(value=last).values_list("key", "value")
        rows = [row for row in rows if row[1] > last] + list(ties)
    return rows


def year_totals_between(
    metric: str, dimension: str, year: int, scope: int, low: int, high: int
) -> tuple[int, int]:
    """How many year totals lie in low..high, and their sum."""
    found = _year_totals(metric, dimension, year, scope, low, high)
    result = found.aggregate(n=Count("key"), total=Sum("value"))
    return result["n"], result["total"] or 0


def smallest_of_year(metric: str, dimension: str, year: int, scope: int, at_least: int):
    """The smallest year total of `at_least` or more, or None: one index probe."""
    totals = _year_totals(metric, dimension, year, scope, at_least)
    return totals.order_by("value").values_list("value", flat=True).first()


def keys_of_year(metric: str, dimension: str, year: int, scope: int, low: int, high: int):
    """The keys of the year totals in low..high."""
    found = _year_totals(metric, dimension, year, scope, low, high)
    return list(found.values_list("key", flat=True))


def by_municipality(metric: str, start, end) -> dict[int, int]:
    """The metric per municipality id over the range (the national rows left out)."""
    rows = (
        _rows(metric, start, end, None)
        .exclude(municipality_id=NATIONAL)
        .values("municipality_id")
        .annotate(n=Sum("value"))
    )
    return {row["municipality_id"]: row["n"] for row in rows}


def library_rows(metric: str, since) -> dict[int, int]:
    """The metric per library id from `since` on."""
    rows = (
        DailyCount.objects.filter(metric=metric, dimension="library", day__gte=since)
        .exclude(municipality_id=NATIONAL)
        .values("key")
        .annotate(n=Sum("value"))
    )
    return {int(row["key"]): row["n"] for row in rows}


def last_login_days() -> dict[int, datetime.date]:
    """The last day with a login, per library id (all time)."""
    rows = (
        DailyCount.objects.filter(metric="logins", dimension="library")
        .exclude(municipality_id=NATIONAL)
        .values("key")
        .annotate(last=Max("day"))
    )
    return {int(row["key"]): row["last"] for row in rows}
