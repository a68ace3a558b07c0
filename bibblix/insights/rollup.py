"""Roll the anonymous usage log up into DailyCount rows, incrementally and idempotently.

Modelled on Zulip's analytics counts (CountStat + FillState): every metric is declared once in
METRICS; `fill()` counts each metric from the day after its FillState up to yesterday, in one
transaction per metric together with its new FillState, so a crash or a second worker leaves
either the old or the new figures. Counting a day again recomputes it from the log,
which is never changed or deleted, so a rerun gives the same figures; the retention job deletes
accounts and loans, never log rows, so it changes no figure either.

Late events: a loan that ended at 23:50 may be closed by `expire_loans` after midnight, and its
event carries the day it ended. `fill()` therefore counts the last REFILL_DAYS filled days again.
"""

import datetime
import secrets
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from bibblix.usage.models import UsageEvent

from .models import NATIONAL, DailyCount, FillState, YearTotal

Kind = UsageEvent.Kind
REFILL_DAYS = 2
# Rows split by these dimensions are kept per month (day = the month's first day): a daily row per
# book and municipality would be mostly ones, many and slow to sum, and suppressed anyway.
MONTHLY_DIMENSIONS = {"book", "theme", "language", "age_band"}
# Splits whose national monthly rows are also kept summed per calendar year (`YearTotal`): the
# national dashboard's top books of a year read the largest totals in index order instead of
# summing every book's months (700,000 national rows at 100,000 books). Only the country's: a
# municipality's year of book rows is a small share (41,000 rows for the busiest of the 10 M-event
# benchmark), while its totals would be 97 % of the table and of the work of keeping it.
YEAR_TOTALS = {("loans", "book")}
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


def _columns() -> str:
    q = connection.ops.quote_name
    return ", ".join(
        q(c) for c in ("metric", "dimension", "municipality_id", "day", "key", "value")
    )


def _period(monthly: bool) -> str:
    """SQL for the day a row is counted on: the event's day, or its month's first day."""
    if not monthly:
        return "e.day"
    if connection.vendor == "postgresql":
        return "CAST(DATE_TRUNC('month', e.day) AS DATE)"
    return "DATE(e.day, 'start of month')"


def _from_events_sql(metric: Metric, dimension: str, *, national: bool, monthly: bool, themes):
    """INSERT … SELECT of one metric and dimension counted from the log over a range of days
    (params: metric name, dimension, first day, last day), grouped by day or month."""
    q = connection.ops.quote_name
    table = q(DailyCount._meta.db_table)
    events = q(UsageEvent._meta.db_table)
    municipality = str(NATIONAL) if national else "e.municipality_id"
    period = _period(monthly)
    key = f"CAST({_KEY_COLUMN[dimension]} AS VARCHAR(32))" if dimension else "''"
    group = [period] if national else ["e.municipality_id", period]
    if dimension:
        group.append(_KEY_COLUMN[dimension])
    kinds = ", ".join(f"'{kind}'" for kind in metric.kinds)  # our own constants, not input
    where = [f"e.kind IN ({kinds})", "e.day >= %s", "e.day <= %s"]
    if dimension:
        where.append(_KEY_PRESENT[dimension])
    if metric.measure == "readers":
        where.append("e.reader_key IS NOT NULL")
    prefix = join = ""
    if dimension == "theme":
        prefix = f"WITH bt (book_id, theme_id) AS (VALUES {themes}) "
        join = " JOIN bt ON bt.book_id = e.book_id"
    select = (
        f"SELECT %s AS {q('metric')}, %s AS {q('dimension')}, {municipality} AS"  # noqa: S608
        f" {q('municipality_id')}, {period} AS {q('day')}, {key} AS {q('key')},"
        f" {_MEASURE[metric.measure]} AS {q('value')}"
        f" FROM {events} e{join} WHERE {' AND '.join(where)} GROUP BY {', '.join(group)}"
    )
    # Only figures above zero are stored.
    return (
        f"{prefix}INSERT INTO {table} ({_columns()})"  # noqa: S608 (names from our models)
        f" SELECT * FROM ({select}) counted WHERE {q('value')} > 0"
    )


def _national_from_rows_sql() -> str:
    """INSERT … SELECT of the national rows as the sum of the municipalities' rows (params:
    metric name, dimension, first day, last day): cheaper than counting the log again, and for
    sums it is the same figure. Distinct readers are not sums: they are counted from the log."""
    q = connection.ops.quote_name
    table = q(DailyCount._meta.db_table)
    return (
        f"INSERT INTO {table} ({_columns()})"  # noqa: S608 (names from our models)
        f" SELECT {q('metric')}, {q('dimension')}, {NATIONAL}, {q('day')}, {q('key')},"
        f" SUM({q('value')}) FROM {table} WHERE {q('metric')} = %s AND {q('dimension')} = %s"
        f" AND {q('day')} >= %s AND {q('day')} <= %s AND {q('municipality_id')} <> {NATIONAL}"
        f" GROUP BY {q('metric')}, {q('dimension')}, {q('day')}, {q('key')}"
    )


def _year(column: str) -> str:
    """SQL for the calendar year of a date column."""
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    return f"CAST(SUBSTR({column}, 1, 4) AS INTEGER)"  # SQLite keeps dates as YYYY-MM-DD


OLD_SUMS = "insights_year_total_replaced"  # a temporary table, within one roll-up's transaction


def _national_sums_sql() -> str:
    """SELECT of the year, key and value of a split's national rows over a range of days
    (params: metric name, dimension, first day, last day)."""
    q = connection.ops.quote_name
    return (
        f"SELECT {_year(q('day'))} AS y, {q('key')} AS k, {q('value')} AS v"  # noqa: S608
        f" FROM {q(DailyCount._meta.db_table)} WHERE {q('metric')} = %s AND {q('dimension')} = %s"
        f" AND {q('municipality_id')} = {NATIONAL} AND {q('day')} >= %s AND {q('day')} <= %s"
    )


def keep_replaced_sums(cursor, params: list) -> None:
    """Before a split's rows are deleted to be counted again: their national sums per year and
    key, in a temporary table (params: metric name, dimension, first day, last day)."""
    cursor.execute(f"DROP TABLE IF EXISTS {OLD_SUMS}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {OLD_SUMS} AS SELECT y, k, SUM(v) AS v"  # noqa: S608
        f" FROM ({_national_sums_sql()}) replaced GROUP BY y, k",
        params,
    )


def year_totals_sql() -> str:
    """INSERT … SELECT … ON CONFLICT adding to the `YearTotal` rows, per year and key, the sums of
    a split's new national rows over a range of days less those they replaced (kept by
    `keep_replaced_sums`), only where the two differ (params: metric name, dimension, then
    again with first day, last day). A total is so always the sum of its year's rows, however
    often a month is counted again, and a roll-up writes only the totals that changed."""
    q = connection.ops.quote_name
    table = q(YearTotal._meta.db_table)
    columns = ", ".join(
        q(c) for c in ("metric", "dimension", "municipality_id", "year", "key", "value")
    )
    return (
        f"INSERT INTO {table} ({columns})"  # noqa: S608 (names from our models)
        f" SELECT %s, %s, {NATIONAL}, y, k, SUM(v) FROM ({_national_sums_sql()}"
        f" UNION ALL SELECT y, k, -v FROM {OLD_SUMS}) changes"
        # WHERE true: SQLite's parser needs a WHERE before an upsert's ON CONFLICT.
        f" WHERE true GROUP BY y, k HAVING SUM(v) <> 0"
        f" ON CONFLICT ({q('metric')}, {q('dimension')}, {q('municipality_id')}, {q('year')},"
        f" {q('key')}) DO UPDATE SET {q('value')} = {table}.{q('value')} + excluded.{q('value')}"
    )


def _theme_values() -> str:
    from bibblix.catalogue import services as catalogue

    pairs = catalogue.book_theme_pairs()
    return ", ".join(f"({int(book)}, {int(theme)})" for book, theme in pairs)


def _range(metric: Metric, dimension: str, first, last, month_last) -> tuple:
    """The days a dimension's rows are replaced over: its months' first days for monthly rows."""
    if is_monthly(metric, dimension):
        return month_start(first), month_last
    return first, last


def _clear(metric: Metric, dimension: str, first, last) -> None:
    """Delete the rows of one metric and dimension over first..last, their sums taken off their
    year totals first (`YEAR_TOTALS`)."""
    if (metric.name, dimension) in YEAR_TOTALS:
        with connection.cursor() as cursor:
            keep_replaced_sums(cursor, [metric.name, dimension, first, last])
    _delete_rows(metric.name, dimension, first, last)


def _delete_rows(metric: str, dimension: str, first, last) -> None:
    """Delete rows in one statement: the ORM's delete() would read every row first to send
    post_delete (the page cache listens to every model), 170,000 rows for a month of books."""
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {q(DailyCount._meta.db_table)} WHERE {q('metric')} = %s"  # noqa: S608
            f" AND {q('dimension')} = %s AND {q('day')} >= %s AND {q('day')} <= %s",
            [metric, dimension, first, last],
        )


def _add_year_totals(metric: Metric, dimension: str, first, last) -> None:
    if (metric.name, dimension) in YEAR_TOTALS:
        with connection.cursor() as cursor:
            cursor.execute(year_totals_sql(), [metric.name, dimension] * 2 + [first, last])
            cursor.execute(f"DROP TABLE {OLD_SUMS}")
            q = connection.ops.quote_name
            cursor.execute(
                f"DELETE FROM {q(YearTotal._meta.db_table)} WHERE {q('metric')} = %s"  # noqa: S608
                f" AND {q('dimension')} = %s AND {q('value')} = 0",
                [metric.name, dimension],
            )


def _count(metric: Metric, dimension: str, first: datetime.date, last: datetime.date, themes: str):
    """Write the rows of one metric and dimension for days first..last (cleared before); monthly
    rows for every month from `first`'s, each counted from its first day up to `last` at most."""
    monthly = is_monthly(metric, dimension)
    if dimension == "theme" and not themes:
        return
    params = [metric.name, dimension, first, last]
    with connection.cursor() as cursor:
        sql = _from_events_sql(metric, dimension, national=False, monthly=monthly, themes=themes)
        cursor.execute(sql, params)
        if metric.measure == "readers":
            sql = _from_events_sql(metric, dimension, national=True, monthly=monthly, themes=themes)
            cursor.execute(sql, params)
        else:
            cursor.execute(_national_from_rows_sql(), params)


def _day_case(columns: list[str], day: str, month: str) -> str:
    """The row's day: the event's day in a daily set, its month's first day in a monthly one."""
    if day not in columns:
        return month
    if month not in columns:
        return day
    return f"CASE WHEN GROUPING({day}) = 0 THEN {day} ELSE {month} END"


def use_grouping_sets() -> bool:
    """Whether the roll-up counts a metric's dimensions in one pass (PostgreSQL; SQLite has no
    GROUPING SETS and counts one dimension per statement, over its small log)."""
    return connection.vendor == "postgresql"


def _national_from_events(metric: Metric) -> bool:
    """Whether the country's rows may be counted from the log in the same pass as the
    municipalities' (PostgreSQL's grouping sets): distinct readers must be (they are not sums);
    counts and pages give the same figure either way; minutes are rounded per municipality and
    day, so the country's are the sum of those rounded rows, as elsewhere."""
    return metric.measure != "minutes"


def _grouped_sql(metric: Metric, dimensions, ranges: dict) -> tuple[str, list]:
    """One INSERT … SELECT counting several dimensions of a metric (no themes) in one pass over
    the log, PostgreSQL's GROUPING SETS: the municipalities' rows of every dimension and, where
    `_national_from_events`, the country's. Each set's rows are exactly those `_from_events_sql`
    gives for its dimension: a dimension's key must be present (grouped by it, a missing key is
    a group of its own, left out), and a daily dimension keeps only the days of its range."""
    q = connection.ops.quote_name
    municipality, day, month = "e.municipality_id", "e.day", _period(True)
    grouped_sets = []  # (dimension, its period column, the columns grouped by)
    for dimension in dimensions:
        period = month if is_monthly(metric, dimension) else day
        for national in (False, True) if _national_from_events(metric) else (False,):
            grouped = ([] if national else [municipality]) + [period]
            grouped += [_KEY_COLUMN[dimension]] if dimension else []
            grouped_sets.append((dimension, period, grouped))
    # GROUPING() takes only columns that some set groups by.
    columns = list(dict.fromkeys(c for _d, _p, grouped in grouped_sets for c in grouped))
    sets, dimension_cases, key_cases, day_filters = [], [], [], []
    first = min(start for start, _end in ranges.values())
    last = max(end for _start, end in ranges.values())
    for dimension, period, grouped in grouped_sets:
        mask = sum(1 << (len(columns) - 1 - i) for i, c in enumerate(columns) if c not in grouped)
        sets.append(f"({', '.join(grouped)})")
        dimension_cases.append(f"WHEN {mask} THEN '{dimension}'")
        if dimension:
            key_cases.append(f"WHEN {mask} THEN CAST({_KEY_COLUMN[dimension]} AS VARCHAR(32))")
        if period == day:
            start, end = ranges[dimension]
            day_filters.append(f"(g <> {mask} OR (d >= '{start}' AND d <= '{end}'))")
    kinds = ", ".join(f"'{kind}'" for kind in metric.kinds)  # our own constants, not input
    where = [f"e.kind IN ({kinds})", "e.day >= %s", "e.day <= %s"]
    if metric.measure == "readers":
        where.append("e.reader_key IS NOT NULL")
    grouping = f"GROUPING({', '.join(columns)})"
    key_case = f"CASE {grouping} {' '.join(key_cases)} ELSE '' END" if key_cases else "''"
    select = (
        f"SELECT {grouping} AS g, CASE {grouping} {' '.join(dimension_cases)} END AS dim,"  # noqa: S608
        f" CASE WHEN GROUPING({municipality}) = 1 THEN {NATIONAL} ELSE {municipality} END AS m,"
        f" {_day_case(columns, day, month)} AS d, {key_case} AS k,"
        f" {_MEASURE[metric.measure]} AS v FROM {q(UsageEvent._meta.db_table)} e"
        f" WHERE {' AND '.join(where)} GROUP BY GROUPING SETS ({', '.join(sets)})"
    )
    filters = ["v > 0", "k IS NOT NULL", "(dim = '' OR k <> '')", *day_filters]
    sql = (
        f"INSERT INTO {q(DailyCount._meta.db_table)} ({_columns()})"  # noqa: S608
        f" SELECT %s, dim, m, d, k, v FROM ({select}) counted WHERE {' AND '.join(filters)}"
    )
    return sql, [metric.name, first, last]


def has_month_totals(metric: Metric) -> bool:
    """Sums of a daily metric are also kept per month (dimension "month"), for the dashboards'
    comparisons over a year: 12 rows per municipality to add instead of 365."""
    return metric.measure != "readers" and not metric.monthly


def month_totals(metric: Metric, first: datetime.date, last: datetime.date) -> None:
    """Replace the "month" rows of the months first..last with the sums of their daily rows
    (every municipality and the country)."""
    first, last = month_start(first), month_end(last)
    _delete_rows(metric.name, "month", first, last)
    q = connection.ops.quote_name
    table = q(DailyCount._meta.db_table)
    period = _period(True).replace("e.day", q("day"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({_columns()})"  # noqa: S608 (names from our models)
            f" SELECT {q('metric')}, 'month', {q('municipality_id')}, {period}, '',"
            f" SUM({q('value')}) FROM {table} WHERE {q('metric')} = %s AND {q('dimension')} = ''"
            f" AND {q('day')} >= %s AND {q('day')} <= %s"
            f" GROUP BY {q('metric')}, {q('municipality_id')}, {period}",
            [metric.name, first, last],
        )


def count_range(
    name: str, first: datetime.date, last: datetime.date, *, advance: bool = False
) -> None:
    """Recompute metric `name` for days first..last from the log in one transaction; with
    `advance` (the incremental fill) its FillState moves to `last` in the same transaction."""
    metric = METRICS[name]
    themes = _theme_values() if "theme" in metric.dimensions else ""
    with transaction.atomic():
        state = FillState.objects.select_for_update().filter(metric=name).first()
        filled = state.filled_through if state else None
        # The month of `last` is counted up to the furthest day already filled, not just to
        # `last`: counting one past day again must not shorten its month's figures.
        month_last = min(month_end(last), max(last, filled)) if filled else last
        ranges = {d: _range(metric, d, first, last, month_last) for d in metric.dimensions}
        for dimension in metric.dimensions:
            _clear(metric, dimension, *ranges[dimension])
        grouped = [d for d in metric.dimensions if d != "theme"]
        if grouped and use_grouping_sets():
            # Large ranges (the first fill) hash or sort millions of groups: in memory.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '256MB'")
                cursor.execute(*_grouped_sql(metric, grouped, ranges))
                if not _national_from_events(metric):
                    for dimension in grouped:
                        cursor.execute(
                            _national_from_rows_sql(), [name, dimension, *ranges[dimension]]
                        )
            rest = [d for d in metric.dimensions if d not in grouped]
        else:
            rest = list(metric.dimensions)
        for dimension in rest:
            _count(metric, dimension, *ranges[dimension], themes)
        for dimension in metric.dimensions:
            _add_year_totals(metric, dimension, *ranges[dimension])
        if has_month_totals(metric):
            month_totals(metric, first, last)
        if advance and state is None:
            FillState.objects.create(metric=name, filled_through=last)
        elif advance and last > filled:
            state.filled_through = last
            state.save(update_fields=["filled_through", "updated_at"])
        # Now (a figure read in between is not kept past the commit) and once committed.
        bump_figures_version()
        transaction.on_commit(bump_figures_version)


FIGURES_VERSION_KEY = "insights:figures-version"


def figures_version() -> str:
    """A token that changes whenever a roll-up writes figures: figures derived from the roll-up
    rows may be cached under it (the dashboards' top books)."""
    version = cache.get(FIGURES_VERSION_KEY)
    if version is None:
        cache.add(FIGURES_VERSION_KEY, _new_version(), None)
        version = cache.get(FIGURES_VERSION_KEY) or _new_version()
    return version


def bump_figures_version() -> None:
    cache.set(FIGURES_VERSION_KEY, _new_version(), None)


def _new_version() -> str:
    return f"{time.time_ns():x}-{secrets.token_hex(4)}"


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
