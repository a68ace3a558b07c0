"""Usage statistics at national scale, on PostgreSQL only (10 million rows is no SQLite job):

1. 10,000,000 anonymous usage events over two years for 290 municipalities, generated in SQL
   (`generate_series`, one INSERT … SELECT), then rolled up by the ordinary `fill()`;
2. the national dashboard (`insights.dashboard.build` for the whole country and one year:
   totals, trends, top books, languages, themes, age bands, the per-capita comparison), timed
   warm, median of 7 (target < 200 ms);
3. the daily roll-up (`roll_up(day)`, every metric) of one day of 100,000 events.

The database (`bibblix_bench_insights`, or BENCH_INSIGHTS_DB) is kept between runs: when it
already holds the 10 M events and their roll-ups, generation and the first fill are skipped (say
BENCH_FRESH=1 to build it again). Server: BENCH_POSTGRES_URL (default
postgres://postgres@127.0.0.1:5432/postgres). BENCH_INSIGHTS_EVENTS and BENCH_INSIGHTS_BOOKS
(3,000; the national benchmark spreads its events over 100,000) size it.
Run alone with `make bench-insights`.
"""

import datetime
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/postgres"
DATABASE = os.environ.get("BENCH_INSIGHTS_DB", "bibblix_bench_insights")
EVENTS = int(os.environ.get("BENCH_INSIGHTS_EVENTS", 10_000_000))  # smaller for a quick check
DAY_EVENTS = 100_000
MUNICIPALITIES = 290
BOOKS = int(os.environ.get("BENCH_INSIGHTS_BOOKS", 3000))
FIRST = datetime.date(2024, 12, 1)
LAST = datetime.date(2026, 11, 30)  # 730 days
BENCH_DAY = datetime.date(2026, 12, 1)
YEAR_START = datetime.date(2026, 1, 1)  # the dashboards show calendar years, to yesterday
TWELVE_MONTHS = datetime.date(2025, 12, 1)


def _generate_sql(
    count: int,
    first_day: datetime.date,
    days: int,
    books: int = BOOKS,
    municipalities: list[int] | None = None,
) -> tuple:
    """One INSERT … SELECT of `count` events spread over `days` days from `first_day`.
    Kinds in realistic shares; popular books and busy municipalities more often (powers of
    random()); reader keys from a pool per municipality and month, like real monthly keys.
    Books are ids 1..`books`; municipalities ids 1..MUNICIPALITIES or those of the list."""
    sql = """
    INSERT INTO usage_usageevent (kind, occurred_at, day, municipality_id, library_id, book_id,
                                  age_band, language, pages, seconds, reader_key)
    SELECT kind, (day + make_interval(hours => 7 + (g %% 14)))::timestamptz, day, m,
           m * 2 + (g %% 2),
           CASE WHEN kind IN ('borrowed', 'read', 'finished', 'hold_fulfilled') THEN b END,
           CASE WHEN kind IN ('borrowed', 'read', 'finished', 'hold_fulfilled')
                THEN CASE WHEN b %% 3 = 0 THEN '9-12' ELSE '6-8' END ELSE '' END,
           CASE WHEN kind IN ('borrowed', 'read', 'finished', 'hold_fulfilled')
                THEN (ARRAY['sv','sv','sv','sv','en','ar','fi','so'])[1 + b %% 8] ELSE '' END,
           CASE WHEN kind = 'read' THEN 5 + g %% 30 ELSE 0 END,
           CASE WHEN kind = 'read' THEN 300 + g %% 1500 ELSE 0 END,
           CASE WHEN kind IN ('borrowed', 'read', 'finished', 'login')
                THEN (m::bigint * 1000000 + r) * 100 + extract(month FROM day)::int END
    FROM (
      SELECT g,
             %(first)s::date + (floor(random() * %(days)s))::int AS day,
             (%(ids)s::int[])[1 + floor(%(munis)s * power(random(), 1.6))::int] AS m,
             1 + floor(%(books)s * power(random(), 3))::int AS b,
             floor(4000 * power(random(), 2))::int AS r,
             CASE WHEN x < 0.33 THEN 'borrowed' WHEN x < 0.36 THEN 'hold_fulfilled'
                  WHEN x < 0.68 THEN 'read' WHEN x < 0.78 THEN 'finished'
                  WHEN x < 0.94 THEN 'login' WHEN x < 0.975 THEN 'login_failed'
                  WHEN x < 0.99 THEN 'new_reader' ELSE 'login_timeout' END AS kind
      FROM (SELECT g, random() AS x FROM generate_series(1, %(count)s) g) s
    ) e
    """
    ids = municipalities or list(range(1, MUNICIPALITIES + 1))
    return sql, {
        "first": first_day,
        "days": days,
        "ids": ids,
        "munis": len(ids),
        "books": books,
        "count": count,
    }


def _count(cursor, first, last) -> int:
    cursor.execute(
        "SELECT count(*) FROM usage_usageevent WHERE day BETWEEN %s AND %s", [first, last]
    )
    return cursor.fetchone()[0]


def _register(cursor) -> None:
    """Municipalities (ids 1..290 with populations), their libraries' ids are implied, books
    and a few themes so titles and theme splits are looked up as in production."""
    from bibblix.catalogue.models import Book, Theme
    from bibblix.members.models import Organisation

    if not Organisation.objects.exists():
        Organisation.objects.bulk_create(
            Organisation(
                pk=i,
                name=f"Kommun {i:03d}",
                municipality_code=f"{i:04d}",
                population=3000 + (i * 7919) % 600000,
            )
            for i in range(1, MUNICIPALITIES + 1)
        )
    if not Book.objects.exists():
        Book.objects.bulk_create(Book(pk=i, title=f"Bok {i}") for i in range(1, BOOKS + 1))
        themes = Theme.objects.bulk_create(
            Theme(slug=f"tema-{i}", name_sv=f"Tema {i}", name_en=f"Theme {i}", symbol="📚")
            for i in range(12)
        )
        through = Book.themes.through
        through.objects.bulk_create(
            through(book_id=i, theme_id=themes[i % 12].pk) for i in range(1, BOOKS + 1)
        )
    cursor.execute("SELECT setval(pg_get_serial_sequence('catalogue_book', 'id'), %s)", [BOOKS])


def build_events(
    count: int = EVENTS, books: int = BOOKS, municipalities: list[int] | None = None
) -> None:
    """`count` events over FIRST..LAST (generated unless the database holds that many already),
    rolled up through LAST."""
    from django.db import connection, transaction

    from bibblix.insights import rollup
    from bibblix.insights.models import FillState

    with connection.cursor() as cursor:
        days = (LAST - FIRST).days + 1
        have = _count(cursor, FIRST, LAST)
        if have != count:
            print(f"  generating {count:,} events over {days} days (SQL)…", flush=True)
            cursor.execute("TRUNCATE usage_usageevent, insights_dailycount, insights_fillstate")
            started = time.perf_counter()
            with transaction.atomic():
                cursor.execute("SELECT setseed(0.18)")
                cursor.execute(*_generate_sql(count, FIRST, days, books, municipalities))
            cursor.execute("ANALYZE usage_usageevent")
            print(f"  generated in {time.perf_counter() - started:.0f} s", flush=True)
        else:
            print(f"  {have:,} events kept from an earlier run")
        state = FillState.objects.filter(metric="loans").first()
        if state is None or state.filled_through < LAST:
            started = time.perf_counter()
            rollup.fill(until=LAST)
            # What autovacuum does in production: statistics for the planner and the visibility
            # map that lets the dashboards' reads stay in the (covering) indexes.
            cursor.execute("VACUUM (ANALYZE) insights_dailycount")
            print(f"  first roll-up of {count:,} events: {time.perf_counter() - started:.0f} s")


def time_dashboard(runs: int = 7, start: datetime.date = YEAR_START) -> tuple[str, dict]:
    """The national dashboard from `start` to LAST (default: the year so far, the period the
    dashboards offer), `runs` times: a line of figures (median, min, max in ms) and the figures
    of the median, as {"median": ms, ...}."""
    from bibblix.insights import dashboard, rollup

    scope = dashboard.Scope(None, True, "Hela landet")
    end = LAST
    # The first build is timed on its own: it is the first build after a roll-up (a new figures
    # version, as every roll-up sets), which pays for the top books (kept until the next roll-up;
    # insights.services._top_books). It also warms the connection and the plans.
    rollup.bump_figures_version()
    started = time.perf_counter()
    dashboard.build(scope, start, end)
    first = (time.perf_counter() - started) * 1000
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        built = dashboard.build(scope, start, end)
        timings.append((time.perf_counter() - started) * 1000)
    median = statistics.median(timings)
    loans = built["figures"]["totals"]["loans"]
    line = (
        f"median {median:.0f} ms (min {min(timings):.0f}, max {max(timings):.0f}; "
        f"first build {first:.0f} ms; "
        f"{loans:,} loans, {len(built['tables'][1].rows)} municipalities compared)"
    )
    return line, {"median": median, "min": min(timings), "max": max(timings), "first": first}


def run_one() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bibblix.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from bibblix.insights import rollup

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        _register(cursor)
    build_events()
    line, _figures = time_dashboard()
    print(f"  national dashboard, 2026 to 30 November, over {EVENTS:,} events: {line}")
    line, _figures = time_dashboard(3, TWELVE_MONTHS)
    print(f"  national dashboard, 12 months from December 2025 (no dashboard offers it): {line}")

    with connection.cursor() as cursor:
        if _count(cursor, BENCH_DAY, BENCH_DAY) != DAY_EVENTS:
            cursor.execute("DELETE FROM usage_usageevent WHERE day = %s", [BENCH_DAY])
            with transaction.atomic():
                cursor.execute("SELECT setseed(0.5)")
                cursor.execute(*_generate_sql(DAY_EVENTS, BENCH_DAY, 1))
            cursor.execute("ANALYZE usage_usageevent")
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        rollup.roll_up(BENCH_DAY)
        timings.append(time.perf_counter() - started)
    print(
        f"  roll-up of one day of {DAY_EVENTS:,} events (every metric and split): median "
        f"{statistics.median(timings) * 1000:.0f} ms (min {min(timings) * 1000:.0f} ms)"
    )
    # Back to the figures the fill left: no row after LAST, so that the next run's dashboard
    # (to LAST) reads the year's totals, as a dashboard to yesterday does.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM usage_usageevent WHERE day = %s", [BENCH_DAY])
    rollup.roll_up(BENCH_DAY)


def _postgres_url() -> str | None:
    url = os.environ.get("BENCH_POSTGRES_URL", PG_DEFAULT)
    try:
        import psycopg

        psycopg.connect(url.replace("postgres://", "postgresql://"), connect_timeout=3).close()
    except Exception:
        return None
    return url


def main() -> int:
    server = _postgres_url()
    if server is None:
        print("--- PostgreSQL: not reachable, skipped (this benchmark needs PostgreSQL)")
        return 0
    import psycopg

    admin_url = server.replace("postgres://", "postgresql://")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if exists and os.environ.get("BENCH_FRESH"):
            conn.execute(f"DROP DATABASE {DATABASE}")
            exists = None
        if not exists:
            conn.execute(f"CREATE DATABASE {DATABASE}")
    print("--- PostgreSQL", flush=True)
    with tempfile.TemporaryDirectory() as var_dir:  # never var/ of the checkout
        env = {
            **os.environ,
            "DATABASE_URL": server.rsplit("/", 1)[0] + f"/{DATABASE}",
            "BENCH_CHILD": "1",
            "BIBBLIX_VAR_DIR": var_dir,
            "LOG_LEVEL": "WARNING",
        }
        return subprocess.call([sys.executable, __file__], env=env, cwd=ROOT)  # noqa: S603


if __name__ == "__main__":
    if os.environ.get("BENCH_CHILD"):
        run_one()
    else:
        sys.exit(main())
