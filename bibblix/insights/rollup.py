"""Roll the anonymous usage log up into DailyCount rows, incrementally and idempotently.

Modelled on Zulip's analytics counts (CountStat + FillState): every metric is declared once in
METRICS; `fill()` counts each metric from the day after its FillState up to yesterday, a range at
a time, each month in its own transaction together with the new FillState, so a crash or a second
worker leaves either the old or the new figures. Counting a day again recomputes it from the log,
which is never changed or deleted, so a rerun gives the same figures; the retention job deletes
accounts and loans, never log rows, so it changes no figure either.

Late events: a loan that ended at 23:50 may be closed by `expire_loans` after midnight, and its
event carries the day it ended. `fill()` therefore counts the last REFILL_DAYS filled days again.
"""

import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from bibblix.usage.models import UsageEvent

from .models import NATIONAL, DailyCount, FillState

Kind = UsageEvent.Kind
REFILL_DAYS = 2
# Rows split by these dimensions are kept per month (day = the month's first day): a daily row per
# book and municipality would be mostly ones, many and slow to sum, and suppressed anyway.
MONTHLY_DIMENSIONS = {"book", "theme", "language", "age_band"}
# Things a child does herself: they make her an active reader of the day and month.
ACTIVE_KINDS = (
    Kind.BORROWED,
    Kind.RETURNED,
    Kind.HOLD_PLACED,
    Kind.READ,
    Kind.FINISHED,
    Kind.LOGIN,
)


@dataclass(frozen=True)
class Metric:
    name: str
    kinds: tuple[str, ...]
    # "count" events, "readers" (distinct reader keys), "pages", "minutes" (sum of seconds / 60)
    measure: str = "count"
    dimensions: tuple[str, ...] = ("",)
    monthly: bool = False  # also the plain ("") rows are per month (distinct readers of a month)


LOAN_KINDS = (Kind.BORROWED, Kind.HOLD_FULFILLED)
METRICS = {
    m.name: m
    for m in (
        Metric(
            "loans", LOAN_KINDS, dimensions=("", "library", "book", "theme", "language", "age_band")
        ),
        Metric("active_readers", ACTIVE_KINDS, "readers", ("", "library")),
        Metric("active_readers_month", ACTIVE_KINDS, "readers", monthly=True),
        Metric("reading_minutes", (Kind.READ,), "minutes"),
        Metric("pages", (Kind.READ,), "pages"),
        Metric("books_finished", (Kind.FINISHED,), dimensions=("", "book")),
        Metric("new_readers", (Kind.NEW_READER,), dimensions=("", "library")),
        Metric("holds_placed", (Kind.HOLD_PLACED,)),
        Metric("logins", (Kind.LOGIN,), dimensions=("", "library")),
        Metric("login_failures", (Kind.LOGIN_FAILED,), dimensions=("", "library")),
        Metric("login_timeouts", (Kind.LOGIN_TIMEOUT,), dimensions=("", "library")),
    )
}

_KEY_COLUMN = {
    "library": "e.library_id",
    "book": "e.book_id",
    "language": "e.language",
    "age_band": "e.age_band",
    "theme": "bt.theme_id",
}
_KEY_PRESENT = {
    "library": "e.library_id IS NOT NULL",
    "book": "e.book_id IS NOT NULL",
    "language": "e.language <> ''",
    "age_band": "e.age_band <> ''",
    "theme": "1 = 1",
}
_MEASURE = {
    "count": "COUNT(*)",
    "readers": "COUNT(DISTINCT e.reader_key)",
    "pages": "SUM(e.pages)",
    "minutes": "(SUM(e.seconds) + 30) / 60",
}


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def is_monthly(metric: Metric, dimension: str) -> bool:
    return metric.monthly or dimension in MONTHLY_DIMENSIONS


# --- counting ------------------------------------------------------------------------------------


def _insert_sql(metric: Metric, dimension: str, *, national: bool, monthly: bool, themes: str):
    """INSERT … SELECT of one metric and dimension over a range of days (params: metric name,
    dimension, [month start,] first day, last day)."""
    table = connection.ops.quote_name(DailyCount._meta.db_table)
    events = connection.ops.quote_name(UsageEvent._meta.db_table)
    municipality = str(NATIONAL) if national else "e.municipality_id"
    day = "%s" if monthly else "e.day"
    key = f"CAST({_KEY_COLUMN[dimension]} AS VARCHAR(32))" if dimension else "''"
    group = [column for column, used in ((municipality, not national), (day, not monthly)) if used]
    if dimension:
        group.append(_KEY_COLUMN[dimension])
    kinds = ", ".join(f"'{kind}'" for kind in metric.kinds)  # our own constants, not input
    where = [f"e.kind IN ({kinds})", "e.day >= %s", "e.day <= %s"]
    if dimension:
        where.append(_KEY_PRESENT[dimension])
    if metric.measure == "readers":
        where.append("e.reader_key IS NOT NULL")
    join = ""
    prefix = ""
    if dimension == "theme":
        prefix = f"WITH bt (book_id, theme_id) AS (VALUES {themes}) "
        join = " JOIN bt ON bt.book_id = e.book_id"
    q = connection.ops.quote_name
    columns = ", ".join(
        q(c) for c in ("metric", "dimension", "municipality_id", "day", "key", "value")
    )
    select = (
        f"SELECT %s AS {q('metric')}, %s AS {q('dimension')}, {municipality} AS"  # noqa: S608
        f" {q('municipality_id')}, {day} AS {q('day')}, {key} AS {q('key')},"
        f" {_MEASURE[metric.measure]} AS {q('value')}"
        f" FROM {events} e{join} WHERE {' AND '.join(where)}"
    )
    if group:
        select += f" GROUP BY {', '.join(group)}"
    # Only figures above zero are stored (a national SUM over no events gives one NULL row).
    return (
        f"{prefix}INSERT INTO {table} ({columns})"  # noqa: S608 (names from our models)
        f" SELECT * FROM ({select}) counted WHERE {q('value')} > 0"
    )


def _theme_values() -> str:
    from bibblix.catalogue import services as catalogue

    pairs = catalogue.book_theme_pairs()
    return ", ".join(f"({int(book)}, {int(theme)})" for book, theme in pairs)


def _count(metric: Metric, dimension: str, first: datetime.date, last: datetime.date, themes: str):
    """Replace the rows of one metric and dimension for days first..last (monthly rows: the
    month of `first`, counted from its first day up to `last`)."""
    if dimension == "theme" and not themes:
        DailyCount.objects.filter(metric=metric.name, dimension="theme", day=first).delete()
        return
    monthly = is_monthly(metric, dimension)
    rows = DailyCount.objects.filter(metric=metric.name, dimension=dimension)
    if monthly:
        rows.filter(day=month_start(first)).delete()
        params = [metric.name, dimension, month_start(first), month_start(first), last]
    else:
        rows.filter(day__gte=first, day__lte=last).delete()
        params = [metric.name, dimension, first, last]
    with connection.cursor() as cursor:
        for national in (False, True):
            sql = _insert_sql(metric, dimension, national=national, monthly=monthly, themes=themes)
            cursor.execute(sql, params)


def _months(first: datetime.date, last: datetime.date):
    """(first, last) per calendar month of the range."""
    while first <= last:
        end = min(last, month_end(first))
        yield first, end
        first = end + datetime.timedelta(days=1)


def count_range(
    name: str, first: datetime.date, last: datetime.date, *, advance: bool = False
) -> None:
    """Recompute metric `name` for days first..last from the log, one month per transaction;
    with `advance` (the incremental fill) its FillState moves to each month's end as it goes."""
    metric = METRICS[name]
    themes = _theme_values() if "theme" in metric.dimensions else ""
    for start, end in _months(first, last):
        with transaction.atomic():
            state = FillState.objects.select_for_update().filter(metric=name).first()
            filled = state.filled_through if state else None
            # A month's rows cover the month up to the furthest day counted, not just to `end`.
            month_upto = max(end, filled) if filled and filled >= start else end
            month_upto = min(month_upto, month_end(start))
            for dimension in metric.dimensions:
                if is_monthly(metric, dimension):
                    _count(metric, dimension, month_start(start), month_upto, themes)
                else:
                    _count(metric, dimension, start, end, themes)
            if advance and state is None:
                FillState.objects.create(metric=name, filled_through=end)
            elif advance and end > filled:
                state.filled_through = end
                state.save(update_fields=["filled_through", "updated_at"])


def first_event_day() -> datetime.date | None:
    return UsageEvent.objects.order_by("day").values_list("day", flat=True).first()


def fill(until: datetime.date | None = None) -> dict[str, datetime.date]:
    """Count every metric from where it was filled (less REFILL_DAYS, for late events) up to
    `until` (default yesterday). Idempotent; returns each metric's new fill state."""
    until = until or yesterday()
    first_event = None
    for name in METRICS:
        state = FillState.objects.filter(metric=name).first()
        if state is not None:
            start = state.filled_through - datetime.timedelta(days=REFILL_DAYS - 1)
        else:
            first_event = first_event or first_event_day()
            start = first_event
        if start is not None and start <= until:
            count_range(name, start, until, advance=True)
    return dict(FillState.objects.values_list("metric", "filled_through"))


def roll_up(day: datetime.date) -> None:
    """Recompute one day of every metric from the log (safe to run again)."""
    for name in METRICS:
        count_range(name, day, day)
